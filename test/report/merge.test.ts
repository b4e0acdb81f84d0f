import { expect } from 'chai';
import { hostsToRetry, mergeRuns, parseRunOutput } from '../../src/report/merge.js';
import { emptyStats, type HostStats, type RunEvent } from '../../src/output/events.js';

const stats = (over: Partial<HostStats> = {}): HostStats => ({ ...emptyStats(), ok: 3, ...over });
const jsonLines = (...events: RunEvent[]) => events.map((e) => JSON.stringify({ ...e, time: '2026-01-01T00:00:00.000Z' })).join('\n') + '\n';
const output = (recap: Record<string, HostStats>, extra: Partial<Extract<RunEvent, { type: 'recap' }>> = {}, playbook = 'site.yml') =>
  jsonLines({ type: 'playbook_start', playbook, check: false }, { type: 'play_start', play: 'p', hosts: Object.keys(recap) }, { type: 'recap', stats: recap, ...extra });

describe('report merge', () => {
  it('one recap over the union of the shards\' hosts, sorted by name, counts kept per host', () => {
    const merged = mergeRuns([
      parseRunOutput('a.json', output({ h3: stats(), h1: stats({ changed: 2 }) })),
      parseRunOutput('b.json', output({ h2: stats({ failed: 1 }) })),
    ]);
    expect(Object.keys(merged.stats)).to.deep.equal(['h1', 'h2', 'h3']);
    expect(merged.stats.h1.changed).to.equal(2);
    expect(merged.stats.h2.failed).to.equal(1);
    expect(merged.playbook).to.equal('site.yml');
    expect(merged.interrupted).to.equal(false);
  });

  it('an empty shard (no hosts) adds nothing', () => {
    const merged = mergeRuns([parseRunOutput('a.json', output({ h1: stats() })), parseRunOutput('b.json', output({}))]);
    expect(Object.keys(merged.stats)).to.deep.equal(['h1']);
  });

  it('a host in two outputs is an error naming the host and both files, never counted twice', () => {
    const a = parseRunOutput('a.json', output({ h1: stats() }));
    const b = parseRunOutput('b.json', output({ h2: stats(), h1: stats() }));
    expect(() => mergeRuns([a, b])).to.throw('host h1 is in both a.json and b.json').with.property('exitCode', 4);
  });

  it('outputs of different playbooks are not merged', () => {
    const a = parseRunOutput('a.json', output({ h1: stats() }, {}, 'site.yml'));
    const b = parseRunOutput('b.json', output({ h2: stats() }, {}, 'uninstall.yml'));
    expect(() => mergeRuns([a, b])).to.throw(/different playbooks \(site\.yml, uninstall\.yml\)/);
  });

  it('a shard interrupted by Ctrl-C (or a forced exit) makes the merged run interrupted', () => {
    for (const flag of [{ interrupted: true }, { interrupted: true, forced: true }]) {
      const merged = mergeRuns([parseRunOutput('a.json', output({ h1: stats() })), parseRunOutput('b.json', output({ h2: stats() }, flag))]);
      expect(merged.interrupted).to.equal(true);
    }
  });

  it('an output without a recap (the shard died) is an error naming the file', () => {
    const text = jsonLines({ type: 'playbook_start', playbook: 'site.yml', check: false });
    expect(() => parseRunOutput('dead.json', text)).to.throw(/^dead\.json: no recap event/).with.property('exitCode', 4);
  });

  it('a line that is not JSON names file:line', () => {
    expect(() => parseRunOutput('x.json', `${output({ h1: stats() })}PLAY RECAP ****\n`)).to.throw(/^x\.json:4: not a JSON line/);
  });

  it('merges --stats per host only when every output has them', () => {
    const withStats = (host: string) => output({ [host]: stats() }) + jsonLines({ type: 'stats', perHost: { [host]: { channels: 1, roundTrips: 2, cpuMsPerTask: 0.5 } } });
    const both = mergeRuns([parseRunOutput('a', withStats('h1')), parseRunOutput('b', withStats('h2'))]);
    expect(Object.keys(both.perHost ?? {}).sort()).to.deep.equal(['h1', 'h2']);
    expect(mergeRuns([parseRunOutput('a', withStats('h1')), parseRunOutput('b', output({ h2: stats() }))]).perHost).to.equal(undefined);
  });

  it('no output at all is an error', () => {
    expect(() => mergeRuns([])).to.throw(/at least one/);
  });

  it('the retry file lists failed and unreachable hosts', () => {
    expect(hostsToRetry({ a: stats(), b: stats({ failed: 1 }), c: stats({ unreachable: 1 }), d: stats({ ignored: 1 }) })).to.deep.equal(['b', 'c']);
  });
});
