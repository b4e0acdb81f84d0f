/**
 * Tag selection with Ansible's semantics (playbook/taggable.py evaluate_tags):
 * --tags defaults to `all`; `always` runs unless skipped explicitly; `never` runs only when one
 * of its other tags (or `never`) is requested; `tagged`/`untagged` select by having tags at all.
 */

export interface TagSelection {
  /** --tags (default: all). Comma-separated entries are split. */
  tags?: readonly string[];
  /** --skip-tags. */
  skipTags?: readonly string[];
}

function normalize(values: readonly string[] | undefined): Set<string> {
  return new Set((values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
}

/** Whether a task (or include/block) with these effective tags runs under the selection. */
export function selectByTags(node: { tags: readonly string[] }, selection: TagSelection = {}): boolean {
  const only = normalize(selection.tags);
  if (only.size === 0) only.add('all');
  const skip = normalize(selection.skipTags);
  const untagged = node.tags.length === 0;
  const tags = new Set(untagged ? ['untagged'] : node.tags);
  const intersects = (set: Set<string>) => [...tags].some((t) => set.has(t));

  let run: boolean;
  if (tags.has('always')) run = true;
  else if (only.has('all') && !tags.has('never')) run = true;
  else if (intersects(only)) run = true;
  else run = only.has('tagged') && !untagged && !tags.has('never');

  if (run && skip.size > 0) {
    if (skip.has('all')) {
      if (!tags.has('always') || skip.has('always')) run = false;
    } else if (intersects(skip)) run = false;
    else if (skip.has('tagged') && !untagged) run = false;
  }
  return run;
}
