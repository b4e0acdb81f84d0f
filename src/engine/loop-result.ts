/** Ansible's aggregate result of a looped task: `results` per item plus summary flags. */
export interface ItemResult extends Record<string, unknown> {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
}

export const CONDITIONAL_FALSE = 'Conditional result was False';

export function aggregateLoop(items: ItemResult[]): Record<string, unknown> {
  if (items.length === 0) {
    return { changed: false, results: [], skipped: true, skipped_reason: 'No items in the list' };
  }
  const failed = items.some((r) => r.failed);
  const allSkipped = items.every((r) => r.skipped);
  const out: Record<string, unknown> = {
    changed: items.some((r) => r.changed),
    msg: failed ? 'One or more items failed' : allSkipped ? 'All items skipped' : 'All items completed',
    results: items,
    skipped: allSkipped,
  };
  if (failed) out.failed = true;
  return out;
}
