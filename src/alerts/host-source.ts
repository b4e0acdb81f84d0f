/**
 * Per host: where its alerts are (file_output if JSON, else the active unit's journal) and the
 * alerts written since --since, in one round trip (source-probe.ts).
 */
import type { HostConnection } from '../connectors/types.js';
import { FalcoDeployError } from '../errors.js';
import type { FactRequest } from '../facts/request.js';
import { parseJsonAlert, type Alert, type LineResult } from './alert-line.js';
import type { FilePosition } from './file-probes.js';
import { MAIN_CONFIG } from '../falco-config/effective-config-sh.js';
import { sourceReadProbe, type AlertSource } from './source-probe.js';

export interface ProbeOptions {
  become: boolean;
  timeoutMs?: number;
}

export async function probe<T>(conn: HostConnection, req: FactRequest<T>, opts: ProbeOptions): Promise<T> {
  const r = await conn.exec(req.command, { become: opts.become && req.become, maxOutputBytes: req.maxOutputBytes, timeoutMs: opts.timeoutMs });
  if (r.exitCode !== 0) throw new FalcoDeployError(`probe exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`, { host: conn.name, phase: 'probe' });
  return req.parse(r);
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

/** The host's alert source and its alerts since `since` (UTC ISO), in ONE round trip. */
export async function readAlerts(
  conn: HostConnection,
  since: string,
  opts: ProbeOptions & { maxBytes: number; mainConfig?: string },
): Promise<{ source: AlertSource; read: HostRead }> {
  const r = await probe(conn, sourceReadProbe({ since, maxBytes: opts.maxBytes, host: conn.name, ...(opts.mainConfig ? { mainConfig: opts.mainConfig } : {}) }), opts);
  const notes: string[] = [];
  if (r.configFiles.length === 0) notes.push(`${opts.mainConfig ?? MAIN_CONFIG} is missing or unreadable`);
  if (r.read === undefined) {
    throw new FalcoDeployError(`no alert source: no JSON file_output in ${r.configFiles.join(', ') || MAIN_CONFIG} and no active Falco unit`, {
      host: conn.name,
      phase: 'probe',
    });
  }
  if (r.read.kind === 'journal') {
    if (r.file) notes.push(`file_output ${r.file} is not JSON (json_output is false): reading the journal`);
    const j = r.read.journal;
    return { source: { kind: 'journal', unit: r.read.unit }, read: { ...collect(j.results), ...(j.cursor ? { cursor: j.cursor } : {}), notes } };
  }
  const { path, tail: t } = r.read;
  if (t.missing) notes.push(`${path} does not exist yet`);
  if (t.cut) notes.push(`only the last ${opts.maxBytes} bytes of ${path} were read (--max-bytes): older alerts are left out`);
  return { source: { kind: 'file', path }, read: { ...collect(t.lines.map((l) => parseJsonAlert(l, conn.name))), position: { inode: t.inode, offset: t.offset }, notes } };
}
