/** Controller files a task reads (template/copy `src`), found where Ansible looks for them. */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { RoleInstance } from './model.js';

type LocalFileKind = 'files' | 'templates';

/** Ansible's search order for a role task's relative src, then the playbook's. */
export function localCandidates(src: string, kind: LocalFileKind, role: RoleInstance | undefined, playDir: string): string[] {
  if (isAbsolute(src)) return [src];
  const out: string[] = [];
  if (role) out.push(join(kind === 'files' ? role.filesDir : role.templatesDir, src), join(role.dir, src), join(role.tasksDir, src));
  out.push(join(playDir, kind, src), join(playDir, src));
  return out;
}

/** The first candidate that is a file, or undefined. */
export function findLocalFile(candidates: readonly string[]): string | undefined {
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

export function notFoundMessage(src: string, candidates: readonly string[]): string {
  return `Could not find or access '${src}'. Searched in: ${candidates.join(', ')}`;
}
