/**
 * ONE round trip per host for `alerts`: the host works out where its alerts are (the JSON
 * file_output of its effective Falco config, else the journal of the active Falco unit) and, in
 * the same script, reads them since --since (a file from its end).
 */
import { factIdentity, type FactRequest } from '../facts/request.js';
import { sh } from '../shell/quote.js';
import { effectiveConfigShell, MAIN_CONFIG, pickConfigShell, TRUTHY_SH } from '../falco-config/effective-config-sh.js';
import { parseTailRead, tailScript, type TailRead } from './file-probes.js';
import { journalScript, parseJournalRead, type JournalRead } from './journal-probe.js';

const PICKED = { 'file_output.enabled': 'FO_EN', 'file_output.filename': 'FO', json_output: 'JSON_OUT' };

export type AlertSource = { kind: 'file'; path: string } | { kind: 'journal'; unit: string };

interface SourceFacts {
  /** Config files read, in merge order (none: falco.yaml unreadable). */
  configFiles: string[];
  /** file_output.filename when file_output is enabled. */
  file?: string;
  jsonOutput: boolean;
  /** The running Falco service (falcoctl's follower excluded), if any. */
  unit?: string;
}

interface SourceRead extends SourceFacts {
  /** Absent when the host has neither a JSON file_output nor an active Falco unit. */
  read?: { kind: 'file'; path: string; tail: TailRead } | { kind: 'journal'; unit: string; journal: JournalRead };
}

interface ReadOptions {
  /** UTC ISO time, as Falco's JSON `time`. */
  since: string;
  maxBytes: number;
  host: string;
  /** Where falco.yaml is (tests point it elsewhere). */
  mainConfig?: string;
}

export function sourceReadProbe(o: ReadOptions): FactRequest<SourceRead> {
  const command = [
    'export LC_ALL=C',
    TRUTHY_SH,
    ...effectiveConfigShell(o.mainConfig ?? MAIN_CONFIG),
    pickConfigShell(PICKED),
    'echo @@configfiles; printf \'%s\\n\' "$CFGS"',
    'echo @@output; truthy "$FO_EN" && printf \'file=%s\\n\' "$FO"; truthy "$JSON_OUT" && echo json=1',
    'unit=$(systemctl list-units --state=active --plain --no-legend --type=service \'falco*\' 2>/dev/null | awk \'{ print $1 }\' | grep -E \'^falco[A-Za-z0-9_@.-]*[.]service$\' | grep -v \'^falcoctl\' | head -n 1)',
    'echo @@unit; printf \'%s\\n\' "$unit"',
    'if [ -n "$FO" ] && truthy "$FO_EN" && truthy "$JSON_OUT"; then echo @@read file; f=$FO',
    tailScript(o.since, o.maxBytes),
    sh`elif [ -n "$unit" ]; then echo @@read journal; ` + journalScript({ sinceEpochSec: Date.parse(o.since) / 1000 }) + '; fi',
    'true',
  ].join('\n');
  return {
    ...factIdentity('alerts_source_read', { since: o.since, maxBytes: o.maxBytes, mainConfig: o.mainConfig ?? MAIN_CONFIG }),
    command,
    become: true,
    maxOutputBytes: Math.max(o.maxBytes, 64 << 20) + (1 << 20),
    parse: (r) => parseSourceRead(r.stdout, o.host),
  };
}

/** Sections `@@name` up to `@@read KIND`, after which everything is the read's own output. */
export function parseSourceRead(stdout: string, host: string): SourceRead {
  const at = stdout.search(/^@@read (file|journal)\n/m);
  const head = at < 0 ? stdout : stdout.slice(0, at);
  const sections: Record<string, string[]> = {};
  let current = '';
  for (const line of head.split('\n')) {
    if (line.startsWith('@@')) sections[(current = line.slice(2))] = [];
    else if (current && line !== '') sections[current]!.push(line);
  }
  if (!sections.configfiles || !sections.unit) throw new Error(`unexpected alerts probe output: ${JSON.stringify(stdout.slice(0, 120))}`);
  const output = sections.output ?? [];
  const file = output.find((l) => l.startsWith('file='))?.slice(5);
  const unit = sections.unit[0];
  const facts: SourceFacts = { configFiles: sections.configfiles, ...(file ? { file } : {}), jsonOutput: output.includes('json=1'), ...(unit ? { unit } : {}) };
  if (at < 0) return facts;
  const nl = stdout.indexOf('\n', at);
  const body = stdout.slice(nl + 1);
  if (stdout.startsWith('@@read file', at)) return { ...facts, read: { kind: 'file', path: file!, tail: parseTailRead(body) } };
  return { ...facts, read: { kind: 'journal', unit: unit!, journal: parseJournalRead(body, host) } };
}
