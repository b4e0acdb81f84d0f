import type { Argv } from 'yargs';
import { parseShard } from '../inventory/shard.js';

/** `--shard i/N` for the commands that work on hosts (run, ping, health). */
export function withShardOption<T>(y: Argv<T>) {
  return y.option('shard', {
    type: 'string',
    requiresArg: true,
    coerce: (v: string | undefined) => (v === undefined ? undefined : parseShard(v)),
    describe: 'Work on part i of N of the selected hosts (stable: by a hash of the host name); combine the --json outputs with `report merge`',
  });
}
