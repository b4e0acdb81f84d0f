/**
 * Per host: where its alerts are (file_output if JSON, else the active unit's journal) and the
 * alerts written since --since. Two round trips: the configuration probe, then the read.
 */
import type { HostConnection } from '../connectors/types.js';
import { FalcoDeployError } from '../errors.js';
import type { FactRequest } from '../facts/request.js';
import { parseJsonAlert, type Alert, type LineResult } from './alert-line.js';
import { alertOutputs, MAIN_CONFIG } from './effective-config.js';
import { tailProbe, type FilePosition } from './file-probes.js';
import { journalProbe } from './journal-probe.js';
import { sourceProbe } from './source-probe.js';

export type AlertSource = { kind: 'file'; path: string } | { kind: 'journal'; unit: string };

export interface ProbeOptions {
  become: boolean;
  timeoutMs?: number;
}

export async function probe<T>(conn: HostConnection, req: FactRequest<T>, opts: ProbeOptions): Promise<T> {
  const r = await conn.exec(req.command, { become: opts.become && req.become, maxOutputBytes: req.maxOutputBytes, timeoutMs: opts.timeoutMs });
  if (r.exitCode !== 0) throw new FalcoDeployError(`probe exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`, { host: conn.name, phase: 'probe' });
  return req.parse(r);
}

const DEFAULT_INCLUDES = ['/etc/falco/config.d'];

/** The host's alert source; a second probe only when falco.yaml includes paths beyond config.d. */
export async function findSource(conn: HostConnection, opts: ProbeOptions): Promise<{ source: AlertSource; notes: string[] }> {
  let covered = [MAIN_CONFIG, ...DEFAULT_INCLUDES];
  let found = await probe(conn, sourceProbe(covered), opts);
  let outputs = alertOutputs(found.files, covered);
  if (outputs.missing.length > 0) {
    covered = [...covered, ...outputs.missing];
    found = { ...found, files: [...found.files, ...(await probe(conn, sourceProbe(outputs.missing), opts)).files] };
    outputs = alertOutputs(found.files, covered);
  }
  const notes = outputs.problems;
  if (outputs.file && outputs.jsonOutput) return { source: { kind: 'file', path: outputs.file }, notes };
  if (outputs.file) notes.push(`file_output ${outputs.file} is not JSON (json_output is false): reading the journal`);
  if (found.unit) return { source: { kind: 'journal', unit: found.unit }, notes };
  throw new FalcoDeployError(`no alert source: no JSON file_output in ${outputs.files.join(', ') || MAIN_CONFIG} and no active Falco unit`, {
    host: conn.name,
    phase: 'probe',
  });
}

export interface HostRead {
  alerts: Alert[];
  malformed: number;
  /** Where a --follow continues. */
  position?: FilePosition;
  cursor?: string;
  notes: string[];
}

/** Lines -> alerts of this host; malformed ones counted. */
export function collect(results: LineResult[]): { alerts: Alert[]; malformed: number } {
  const alerts: Alert[] = [];
  let malformed = 0;
  for (const r of results) {
    if ('alert' in r) alerts.push(r.alert);
    else malformed++;
  }
  return { alerts, malformed };
}

export async function readSince(
  conn: HostConnection,
  source: AlertSource,
  since: string,
  opts: ProbeOptions & { maxBytes: number },
): Promise<HostRead> {
  if (source.kind === 'file') {
    const t = await probe(conn, tailProbe(source.path, since, opts.maxBytes), opts);
    const notes = t.missing ? [`${source.path} does not exist yet`] : [];
    if (t.cut) notes.push(`only the last ${opts.maxBytes} bytes of ${source.path} were read (--max-bytes): older alerts are left out`);
    return { ...collect(t.lines.map((l) => parseJsonAlert(l, conn.name))), position: { inode: t.inode, offset: t.offset }, notes };
  }
  const j = await probe(conn, journalProbe(source.unit, { sinceEpochSec: Date.parse(since) / 1000 }, conn.name), opts);
  return { ...collect(j.results), ...(j.cursor ? { cursor: j.cursor } : {}), notes: [] };
}
