/**
 * The host side of config drift: sha256 of every regular file under the root (backup files `*~`
 * left out; `- PATH` for one the probe's user cannot read), sent in the same batch as the health
 * probe (one round trip). Read-only.
 */
import { sh } from '../shell/quote.js';

export function managedFilesScript(root: string): string {
  return sh`if [ -d ${root} ]; then find ${root} -xdev -type f ! -name '*~' 2>/dev/null | while IFS= read -r f; do if [ -r "$f" ]; then sha256sum "$f"; else echo "- $f"; fi; done; fi; :`;
}

/** `sha256sum` lines -> sha256 by path (null: there but unreadable). */
export function parseManagedFiles(stdout: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const line of stdout.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.*)$/.exec(line);
    if (m) out.set(m[2], m[1]);
    else if (line.startsWith('- ')) out.set(line.slice(2), null);
  }
  return out;
}
