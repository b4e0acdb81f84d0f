import { structuredPatch } from 'diff';
import type { FileDiff } from '../modules/contract.js';

/** difflib's range: `start` alone for one line, `start-1,0` for none. */
function range(start: number, length: number): string {
  if (length === 1) return String(start);
  return `${length === 0 ? start - 1 : start},${length}`;
}

/** `before: NAME`, or the bare side when the diff has no header (before_header absent). */
const label = (side: string, name: string) => (name === '' ? side : `${side}: ${name}`);

/** A --diff block as Ansible's callback prints it: difflib.unified_diff with `before: `/`after: ` headers, then an empty line. */
export function formatDiff(d: FileDiff): string {
  const patch = structuredPatch(d.beforeHeader ?? d.path, d.afterHeader ?? d.path, d.before, d.after, undefined, undefined, { context: 3 });
  if (!patch.hunks.length) return '';
  let text = `--- ${label('before', patch.oldFileName)}\n+++ ${label('after', patch.newFileName)}\n`;
  for (const h of patch.hunks) text += `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n${h.lines.join('\n')}\n`;
  return `${text}\n`;
}
