import { normalizeTime, timeOfEpochMs } from './alert-line.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from `now` (`90s`, `10m`, `2h`, `1d`) or a UTC ISO time; undefined when neither. */
export function parseSince(text: string, nowMs: number): string | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (m) return timeOfEpochMs(nowMs - Number(m[1]) * UNITS[m[2]!]!);
  return normalizeTime(text);
}
