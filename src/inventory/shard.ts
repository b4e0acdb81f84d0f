import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';

/** `--shard i/N`: this controller's part (1-based `index`) of N parts of the selected hosts. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new InputError(`--shard ${JSON.stringify(text)}: expected i/N with 1 <= i <= N (e.g. 1/4)`);
  }
  return { index, count };
}

const MASK64 = (1n << 64n) - 1n;

/**
 * The 1-based shard of a host name among `count`: jump consistent hashing (Lamping & Veach 2014)
 * keyed by the first 64 bits of SHA-256 of the name. A host's shard depends only on its own name,
 * so adding or removing hosts moves no other host, and going from N to N+1 shards moves about
 * 1/(N+1) of the hosts (all of them to the new shard).
 */
export function shardOf(host: string, count: number): number {
  let key = createHash('sha256').update(host).digest().readBigUInt64BE(0);
  let bucket = -1;
  let next = 0;
  while (next < count) {
    bucket = next;
    key = (key * 2862933555777941757n + 1n) & MASK64;
    next = Math.floor((bucket + 1) * (2 ** 31 / (Number(key >> 33n) + 1)));
  }
  return bucket + 1;
}

/** The hosts of `hosts` in `shard` (order kept); all of them without a shard. */
export function inShard(hosts: string[], shard: Shard | undefined): string[] {
  return shard ? hosts.filter((h) => shardOf(h, shard.count) === shard.index) : hosts;
}
