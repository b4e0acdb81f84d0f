import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import type { WorkersSpec } from '../engine/partition.js';

function parseWorkers(text: string): WorkersSpec {
  if (text.trim() === 'auto') return 'auto';
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || n < 1) throw new InputError(`--workers ${JSON.stringify(text)}: expected a whole number >= 1 or auto`);
  return n;
}

/** `--workers N|auto` for `run`: worker threads owning disjoint host sets (docs/scale-out.md "Workers"). */
export function withWorkersOption<T>(y: Argv<T>) {
  return y.option('workers', {
    type: 'string',
    requiresArg: true,
    coerce: (v: string | undefined) => (v === undefined ? undefined : parseWorkers(v)),
    describe: 'Worker threads, each running the plays for its own part of the hosts: N, or auto (one per core when each gets 100+ hosts); one thread when a play needs all hosts at once (run_once, max_fail_percentage, hostvars...)',
  });
}
