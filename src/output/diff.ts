import { createTwoFilesPatch } from 'diff';
import type { FileDiff } from '../modules/contract.js';

/** Unified diff text for --diff, with Ansible's before/after headers. */
export function formatDiff(d: FileDiff): string {
  return createTwoFilesPatch(
    d.beforeHeader ?? d.path,
    d.afterHeader ?? d.path,
    d.before,
    d.after,
    undefined,
    undefined,
    { context: 3 },
  ).replace(/^=+\n/, '');
}
