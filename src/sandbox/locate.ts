/** Finding a sandbox's directory and state from its name. */
import { resolve } from 'node:path';
import { FalcoDeployError } from '../errors.js';
import { readRegistry } from './registry.js';
import { StateFile } from './state.js';

export const DEFAULT_SANDBOX = 'default';

export function defaultDir(name: string, cwd = process.cwd()): string {
  return resolve(cwd, '.sandbox', name);
}

/** The registry's record wins; otherwise `dir` or `.sandbox/<name>` under `cwd`. */
export function sandboxDir(name: string, dir?: string, cwd = process.cwd()): string {
  return readRegistry().sandboxes[name]?.dir ?? (dir ? resolve(cwd, dir) : defaultDir(name, cwd));
}

export function requireState(name: string, dir?: string, cwd?: string): StateFile {
  const where = sandboxDir(name, dir, cwd);
  const state = StateFile.read(where);
  if (!state) {
    throw new FalcoDeployError(`no sandbox "${name}" is up (no state in ${where}); start one with \`falco-deploy sandbox up --name ${name}\``, {
      phase: 'usage',
    });
  }
  return state;
}
