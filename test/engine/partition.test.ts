import { expect } from 'chai';
import { AUTO_HOSTS_PER_WORKER, ownsHost, partitionHosts, workerCount } from '../../src/engine/partition.js';

describe('engine: --workers partition', () => {
  const hosts = Array.from({ length: 11 }, (_, i) => `h${i + 1}`);

  it('every host in exactly one worker; parts differ by at most one host', () => {
    for (const n of [1, 2, 3, 4, 11]) {
      const owner = partitionHosts(hosts, n);
      const parts = Array.from({ length: n }, (_, w) => hosts.filter((h) => ownsHost(owner, w, h)));
      expect(parts.flat().sort()).to.deep.equal([...hosts].sort());
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes), `n=${n}`).to.be.at.most(1);
    }
  });

  it('a host named twice (two plays) is dealt once', () => {
    const owner = partitionHosts(['a', 'b', 'a', 'c'], 2);
    expect([...owner]).to.deep.equal([['a', 0], ['b', 1], ['c', 0]]);
  });

  it('a host nobody was dealt (implicit localhost) belongs to worker 0 only', () => {
    const owner = partitionHosts(hosts, 3);
    expect([0, 1, 2].map((w) => ownsHost(owner, w, 'localhost'))).to.deep.equal([true, false, false]);
  });

  it('workerCount: auto = cores only when each worker gets enough hosts; N is capped at the hosts; never 0', () => {
    const table: [Parameters<typeof workerCount>, number][] = [
      [['auto', 10, 8], 1],
      [['auto', 2 * AUTO_HOSTS_PER_WORKER - 1, 2], 1],
      [['auto', 2 * AUTO_HOSTS_PER_WORKER, 2], 2],
      [['auto', 1000, 2], 2],
      [['auto', 1000, 4], 4],
      [['auto', 0, 4], 1],
      [[4, 2, 8], 2],
      [[2, 100, 1], 2],
      [[3, 0, 2], 1],
    ];
    for (const [args, want] of table) expect(workerCount(...args), JSON.stringify(args)).to.equal(want);
  });
});
