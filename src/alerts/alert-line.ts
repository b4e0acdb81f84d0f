/**
 * One Falco alert as read back from a host: a JSON output line (file_output with json_output,
 * or a journal message), with its time normalised so alerts of every host sort as text.
 */
import { parsePriority, priorityOfSyslogLevel, type Priority } from './priority.js';

export interface Alert {
  /** UTC, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (nine digits, so text order is time order). */
  time: string;
  host: string;
  priority: Priority;
  rule: string;
  /** The alert's message without Falco's leading `time: Priority ` (those are columns already). */
  output: string;
  /** The alert exactly as Falco wrote it (JSON lines), for --json. */
  fields: Record<string, unknown>;
}

export type LineResult = { alert: Alert } | { malformed: string };

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]00:?00)$/;

/** Falco's JSON `time` (or any UTC ISO time) -> the nine-digit form; undefined when it is not one. */
export function normalizeTime(text: string): string | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
}

/** Epoch milliseconds -> the nine-digit form. */
export function timeOfEpochMs(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Epoch microseconds as journald writes them (__REALTIME_TIMESTAMP) -> the nine-digit form. */
function timeOfEpochUs(us: string): string | undefined {
  if (!/^\d{1,20}$/.test(us)) return undefined;
  const ms = Number(us.slice(0, -3) || '0');
  return timeOfEpochMs(ms).replace(/\d{6}Z$/, `${us.slice(-3).padStart(3, '0')}000Z`);
}

const TEXT_PREFIX = /^\S+: (Emergency|Alert|Critical|Error|Warning|Notice|Informational|Debug) /;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One line of a JSON file_output. Anything that is not a Falco JSON alert is malformed. */
export function parseJsonAlert(line: string, host: string): LineResult {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (err) {
    return { malformed: `not JSON (${(err as Error).message})` };
  }
  if (!isRecord(data)) return { malformed: 'not a JSON object' };
  const time = typeof data.time === 'string' ? normalizeTime(data.time) : undefined;
  if (!time) return { malformed: `no UTC "time" (${JSON.stringify(data.time)})` };
  const priority = typeof data.priority === 'string' ? parsePriority(data.priority) : undefined;
  if (!priority) return { malformed: `unknown "priority" ${JSON.stringify(data.priority)}` };
  if (typeof data.rule !== 'string') return { malformed: 'no "rule"' };
  const output = typeof data.output === 'string' ? data.output.replace(TEXT_PREFIX, '') : '';
  return { alert: { time, host, priority, rule: data.rule, output, fields: data } };
}

/**
 * One journal entry (`journalctl -o json`) of the Falco unit. Falco logs each alert to syslog
 * at its priority: a JSON message is parsed as a file line; a text alert (json_output false)
 * keeps the journal's time and has no rule name. Falco's own log lines are not alerts (null).
 */
export function parseJournalEntry(entry: Record<string, unknown>, host: string): LineResult | null {
  const message = typeof entry.MESSAGE === 'string' ? entry.MESSAGE : undefined;
  if (message === undefined) return null;
  if (message.startsWith('{')) return parseJsonAlert(message, host);
  const text = TEXT_PREFIX.exec(message);
  if (!text) return null;
  const time = typeof entry.__REALTIME_TIMESTAMP === 'string' ? timeOfEpochUs(entry.__REALTIME_TIMESTAMP) : undefined;
  const level = typeof entry.PRIORITY === 'string' ? priorityOfSyslogLevel(Number(entry.PRIORITY)) : undefined;
  const priority = parsePriority(text[1]) ?? level;
  if (!time || !priority) return { malformed: 'journal entry without time or priority' };
  return { alert: { time, host, priority, rule: '', output: message.slice(text[0].length), fields: { output: message, priority: text[1], time } } };
}
