import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FalcoDeployError, InputError } from '../errors.js';
import { loadIncludedRole, loadTaskFile } from '../playbook/loader.js';
import { loadVarsFile } from '../playbook/vars-files.js';
import { findLocalFile, localCandidates, notFoundMessage } from '../playbook/local-files.js';
import { appliedContext, resolveTaskFile } from '../playbook/tasks.js';
import type { PlaybookRuntime, TemplaterPort, Vars } from './ports.js';

/** The loader's run-time services: include_tasks, template/copy sources, vars_files. */
export function playbookRuntime(templater: TemplaterPort): PlaybookRuntime {
  return {
    loadTaskFile(file, searchDirs, ctx, from, apply, imports) {
      const path = resolveTaskFile(file, searchDirs, { file: from.file, line: from.line ?? 1, column: from.column ?? 1 });
      return { path, loaded: loadTaskFile(path, appliedContext(ctx, apply, from.file), undefined, imports) };
    },

    loadRole(req) {
      return loadIncludedRole(req);
    },

    resolveLocal(src, kind, role, playDir) {
      const candidates = localCandidates(src, kind, role, playDir);
      const found = findLocalFile(candidates);
      if (!found) throw new FalcoDeployError(notFoundMessage(src, candidates), { phase: 'plan' });
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


