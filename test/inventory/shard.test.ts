import { expect } from 'chai';
import { inShard, parseShard, shardOf } from '../../src/inventory/shard.js';

const names = (n: number, prefix = 'web') => Array.from({ length: n }, (_, i) => `${prefix}-h${i + 1}`);

describe('inventory: --shard partition', () => {
  for (const [text, expected] of [
    ['1/1', { index: 1, count: 1 }],
    ['3/4', { index: 3, count: 4 }],
    [' 2 / 16 ', { index: 2, count: 16 }],
  ] as const) {
    it(`parses ${JSON.stringify(text)}`, () => expect(parseShard(text)).to.deep.equal(expected));
  }
  for (const bad of ['0/4', '5/4', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/2', '']) {
    it(`rejects ${JSON.stringify(bad)} as bad input (exit 4)`, () => {
      expect(() => parseShard(bad)).to.throw(/expected i\/N/).with.property('exitCode', 4);
    });
  }

  it('is complete and disjoint: every host in exactly one of N shards, order kept', () => {
    const hosts = names(300);
    for (const count of [1, 2, 3, 4, 7, 16]) {
      const parts = Array.from({ length: count }, (_, i) => inShard(hosts, { index: i + 1, count }));
      expect(parts.flat().sort()).to.deep.equal([...hosts].sort());
      expect(parts.reduce((n, p) => n + p.length, 0)).to.equal(hosts.length);
      for (const p of parts) expect(p).to.deep.equal(hosts.filter((h) => p.includes(h)));
    }
  });

  it('is stable: a host\'s shard depends only on its name, so adding hosts moves none', () => {
    const before = names(200);
    const after = [...names(50, 'db'), ...before, ...names(50, 'new')].reverse();
    for (const count of [2, 5, 9]) {
      for (let index = 1; index <= count; index++) {
        const shard = { index, count };
        expect(inShard(after, shard).filter((h) => before.includes(h)).sort()).to.deep.equal(inShard(before, shard).sort());
      }
    }
  });

  it('going from N to N+1 shards moves only hosts into the new shard, about 1/(N+1) of them', () => {
    const hosts = names(1000);
    for (const count of [1, 3, 4, 9]) {
      const moved = hosts.filter((h) => shardOf(h, count) !== shardOf(h, count + 1));
      for (const h of moved) expect(shardOf(h, count + 1)).to.equal(count + 1);
      expect(moved.length).to.be.within(1000 / (count + 1) / 1.5, (1000 / (count + 1)) * 1.5);
    }
  });

  it('keeps the same assignment across releases (changing the hash would move every user\'s hosts)', () => {
    // Recorded from this implementation (SHA-256 of the name, jump consistent hash).
    expect(['web-h1', 'web-h2', 'web-h3', 'db-1', 'falco.example.com'].map((h) => shardOf(h, 4))).to.deep.equal(PINNED);
  });

  it('spreads 1000 hosts over 4 shards within 15% of an even split', () => {
    for (let index = 1; index <= 4; index++) expect(inShard(names(1000), { index, count: 4 }).length).to.be.within(212, 288);
  });
});

const PINNED = [1, 4, 3, 3, 2];
