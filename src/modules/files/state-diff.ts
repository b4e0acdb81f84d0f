import type { FileDiff } from '../contract.js';

/** Ansible's file-module diff: the JSON of {path, state, ...} before and after. */
export function stateDiff(path: string, before: Record<string, unknown>, after: Record<string, unknown>): FileDiff {
  const text = (o: Record<string, unknown>) => `${JSON.stringify({ path, ...o }, null, 4)}\n`;
  return { path, before: text(before), after: text(after) };
}
