/**
 * The journal of the active Falco unit, for hosts without a JSON file_output: Falco logs every
 * alert to syslog. Read from --since, then followed from the last entry's cursor.
 */
import { factIdentity, type FactRequest } from '../facts/request.js';
import { sh } from '../shell/quote.js';
import { parseJournalEntry, type LineResult } from './alert-line.js';

export interface JournalRead {
  results: LineResult[];
  /** Cursor of the last entry read (the next read starts after it). */
  cursor?: string;
}

type JournalFrom = { sinceEpochSec: number } | { cursor: string };

/** Shell that prints the journal read (parseJournalRead) of the unit in `$unit`. */
export function journalScript(from: JournalFrom): string {
  const where = 'cursor' in from ? sh`--after-cursor=${from.cursor}` : sh`--since=${`@${Math.floor(from.sinceEpochSec)}`}`;
  return 'journalctl --no-pager -o json -u "$unit" ' + where;
}

export function journalProbe(unit: string, from: JournalFrom, host: string): FactRequest<JournalRead> {
  return {
    ...factIdentity('alerts_journal', { unit, ...from }),
    command: sh`unit=${unit}; ` + journalScript(from),
    become: true,
    maxOutputBytes: 64 << 20,
    parse: (r) => parseJournalRead(r.stdout, host),
  };
}

export function parseJournalRead(stdout: string, host: string): JournalRead {
  const results: LineResult[] = [];
  let cursor: string | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (err) {
      results.push({ malformed: `journal line is not JSON (${(err as Error).message})` });
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (typeof e.__CURSOR === 'string') cursor = e.__CURSOR;
    const r = parseJournalEntry(e, host);
    if (r) results.push(r);
  }
  return { results, ...(cursor ? { cursor } : {}) };
}
