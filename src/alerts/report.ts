/** How alerts gathered from many hosts are filtered, ordered and printed. */
import type { Alert } from './alert-line.js';
import { atLeast, type Priority } from './priority.js';

export interface AlertFilter {
  since: string;
  minPriority: Priority;
  rule?: RegExp;
}

export function keep(a: Alert, f: AlertFilter): boolean {
  return a.time >= f.since && atLeast(a.priority, f.minPriority) && (!f.rule || f.rule.test(a.rule));
}

/** Time order across hosts; equal times keep host order, then arrival order (a stable sort). */
export function mergeByTime(alerts: Alert[]): Alert[] {
  return [...alerts].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

/** `time host priority rule output` (the rule in quotes: rule names contain spaces). */
export function alertLine(a: Alert): string {
  return `${a.time} ${a.host} ${a.priority} ${JSON.stringify(a.rule)} ${a.output}`;
}

/** --json: the alert as Falco wrote it, with `host` added. */
export function alertJson(a: Alert): string {
  return JSON.stringify({ ...a.fields, host: a.host });
}

interface SummaryRow {
  rule: string;
  host: string;
  count: number;
  /** The most severe priority seen for this rule on this host. */
  priority: Priority;
}

/** Counts per rule x host, top talkers first (then rule, then host, for a stable order). */
export function summarize(alerts: Alert[]): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const a of alerts) {
    const key = JSON.stringify([a.rule, a.host]);
    const row = rows.get(key);
    if (!row) rows.set(key, { rule: a.rule, host: a.host, count: 1, priority: a.priority });
    else {
      row.count++;
      if (atLeast(a.priority, row.priority)) row.priority = a.priority;
    }
  }
  return [...rows.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule) || a.host.localeCompare(b.host));
}

export function summaryTable(rows: SummaryRow[]): string {
  if (rows.length === 0) return 'no alerts\n';
  const head = ['COUNT', 'HOST', 'PRIORITY', 'RULE'];
  const cells = rows.map((r) => [String(r.count), r.host, r.priority, r.rule]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const fmt = (c: string[]) => c.map((x, i) => (i === 0 ? x.padStart(widths[i]!) : i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ');
  const total = rows.reduce((n, r) => n + r.count, 0);
  return [fmt(head), ...cells.map(fmt), `${total} alerts, ${rows.length} rule x host pairs`].join('\n') + '\n';
}
