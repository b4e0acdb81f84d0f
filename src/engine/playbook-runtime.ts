import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { FalcoDeployError, InputError } from '../errors.js';
import { loadTaskFile } from '../playbook/loader.js';
import { loadVarsFile } from '../playbook/vars-files.js';
import { resolveTaskFile } from '../playbook/tasks.js';
import type { RoleInstance } from '../playbook/model.js';
import type { PlaybookRuntime, Templater, Vars } from './ports.js';

/** The loader's run-time services: include_tasks, template/copy sources, vars_files. */
export function playbookRuntime(templater: Templater): PlaybookRuntime {
  return {
    loadTaskFile(file, searchDirs, ctx, from) {
      const path = resolveTaskFile(file, searchDirs, { file: from.file, line: from.line ?? 1, column: from.column ?? 1 });
      return loadTaskFile(path, ctx);
    },

    resolveLocal(src, kind, role, playDir) {
      const candidates = localCandidates(src, kind, role, playDir);
      const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
      if (!found) {
        throw new FalcoDeployError(`Could not find or access '${src}'. Searched in: ${candidates.join(', ')}`, { phase: 'plan' });
      }
      return found;
    },

    readVarsFiles(entries, baseDir, vars) {
      const out: Vars = {};
      for (const entry of entries) {
        const options = (Array.isArray(entry) ? entry : [entry]).map((p) => resolve(baseDir, String(templater.templateData(p, vars))));
        const path = options.find((p) => existsSync(p));
        if (!path) {
          if (Array.isArray(entry)) continue; // Ansible: a list whose files are all missing is skipped
          throw new InputError(`vars file ${options[0]} was not found`, { file: options[0] });
        }
        Object.assign(out, loadVarsFile(path));
      }
      return out;
    },
  };
}

/** Ansible's search order for a role task's relative src, then the playbook's. */
function localCandidates(src: string, kind: 'files' | 'templates', role: RoleInstance | undefined, playDir: string): string[] {
  if (isAbsolute(src)) return [src];
  const out: string[] = [];
  if (role) out.push(join(kind === 'files' ? role.filesDir : role.templatesDir, src), join(role.dir, src), join(role.tasksDir, src));
  out.push(join(playDir, kind, src), join(playDir, src));
  return out;
}

