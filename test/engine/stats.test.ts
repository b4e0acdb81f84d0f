import { expect } from 'chai';
import { RunStats } from '../../src/engine/stats.js';

describe('RunStats.unreachable', () => {
  const cases = [
    { name: 'not ignored: dark', ignored: false, want: { ok: 0, unreachable: 1, ignored: 0 } },
    { name: 'ignore_unreachable: ok + ignored, as ansible-core 2.14', ignored: true, want: { ok: 1, unreachable: 0, ignored: 1 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const stats = new RunStats();
      stats.unreachable('h1', c.ignored);
      expect(stats.snapshot().h1).to.deep.equal({ changed: 0, failed: 0, skipped: 0, rescued: 0, ...c.want });
    });
  }
});
