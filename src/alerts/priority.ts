/** Falco's priorities, most severe first (falco_common::priority_type). */
export const PRIORITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;
export type Priority = (typeof PRIORITIES)[number];

const ALIASES: Record<string, Priority> = { info: 'informational', warn: 'warning', crit: 'critical', err: 'error', emerg: 'emergency' };

/** `Warning`, `WARNING`, `info` -> the canonical name; undefined when it is none of them. */
export function parsePriority(text: string): Priority | undefined {
  const t = text.trim().toLowerCase();
  if ((PRIORITIES as readonly string[]).includes(t)) return t as Priority;
  return ALIASES[t];
}

/** True when `p` is as severe as `min` or more. */
export function atLeast(p: Priority, min: Priority): boolean {
  return PRIORITIES.indexOf(p) <= PRIORITIES.indexOf(min);
}

/** syslog levels 0..7 map onto the same order (Falco logs alerts to syslog at its priority). */
export function priorityOfSyslogLevel(level: number): Priority | undefined {
  return PRIORITIES[level];
}
