import { factIdentity, type FactRequest } from './request.js';
import { sh } from '../shell/quote.js';

interface DebconfSelections {
  /** question -> value, as the debconf module reads `debconf-show` (seen marker dropped, both sides stripped). */
  selections: Record<string, string>;
  /** stderr of a failed debconf-show (the module fails with it). */
  error?: string;
}

/** `debconf-show NAME`; on failure it runs again to report its stderr after an `rc=` line. */
export function debconfShow(a: { name: string }): FactRequest<DebconfSelections> {
  return {
    ...factIdentity('debconf_show', { name: a.name }),
    command: sh`if ! debconf-show ${a.name} 2>/dev/null; then echo "rc=$?"; debconf-show ${a.name} 2>&1 >/dev/null; fi`,
    parse: (r) => {
      const lines = r.stdout.split('\n');
      const failedAt = lines.findIndex((l) => /^rc=\d+$/.test(l));
      if (failedAt >= 0) return { selections: {}, error: lines.slice(failedAt + 1).join('\n') };
      const selections: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        selections[line.slice(0, i).replace(/^\*+|\*+$/g, '').trim()] = line.slice(i + 1).trim();
      }
      return { selections };
    },
  };
}
