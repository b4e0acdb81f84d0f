/**
 * ansible-core 2.14's pipe and lines lookups: each term is a shell command run on the
 * controller (Popen shell=True: /bin/sh -c) in the loader's base directory (the playbook's),
 * with an empty stdin and stderr passed through; a non-zero exit fails the lookup.
 */
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { PyError } from './errors.js';
import { pyStr } from './pyvalue.js';
import { pyRstrip } from '../python/boolean.js';

let ahead = false;

/**
 * Runs `fn` (synchronous) as templating done ahead of a task's turn (probe prefetch, batch
 * joining): pipe and lines refuse to run their command then, so a command runs only when its
 * task templates it, as in Ansible.
 */
export function templatingAhead<T>(fn: () => T): T {
  const previous = ahead;
  ahead = true;
  try {
    return fn();
  } finally {
    ahead = previous;
  }
}

function stdoutOf(plugin: 'pipe' | 'lines', command: string, cwd: string): Buffer {
  if (ahead) throw new PyError(`the ${plugin} lookup runs its command at its task's turn only`);
  const run = spawnSync('/bin/sh', ['-c', command], { cwd, stdio: ['pipe', 'pipe', 'inherit'], maxBuffer: Infinity });
  if (run.error) throw new PyError(`${plugin} lookup could not run ${command}: ${run.error.message}`);
  // Popen's returncode: the exit status, or minus the signal that ended the shell
  const code = run.status ?? -(constants.signals[run.signal as keyof typeof constants.signals] ?? 0);
  if (code !== 0) throw new PyError(`lookup_plugin.${plugin}(${command}) returned ${code}`);
  return run.stdout;
}

/** pipe: each command's stdout, trailing whitespace stripped (str.rstrip). */
export function pipe(terms: unknown[], cwd: string): string[] {
  return terms.map((t) => pyRstrip(stdoutOf('pipe', pyStr(t), cwd).toString('utf8')));
}

/** lines: the lines of each command's stdout (bytes.splitlines: \n, \r\n and \r only). */
export function lines(terms: unknown[], cwd: string): string[] {
  return terms.flatMap((t) => {
    const out = stdoutOf('lines', pyStr(t), cwd).toString('utf8');
    const parts = out.split(/\r\n|\r|\n/);
    if (parts[parts.length - 1] === '') parts.pop();
    return parts;
  });
}
