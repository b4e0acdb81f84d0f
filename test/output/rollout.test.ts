import { expect } from 'chai';
import { remainingHosts, rolloutOf, rolloutText } from '../../src/output/rollout.js';
import { emptyStats, type HostStats } from '../../src/output/events.js';

const stats = (s: Partial<HostStats>): HostStats => ({ ...emptyStats(), ...s });

describe('rollout summary', () => {
  it('sorts the hosts a rolling play selected into updated, unchanged, rolled back, failed, stopped and untouched', () => {
    const r = rolloutOf(['h6', 'h1', 'h2', 'h3', 'h4', 'h5', 'h1', 'h7', 'h8'], {
      h1: stats({ ok: 9, changed: 2 }),
      h2: stats({ ok: 9 }),
      h3: stats({ ok: 5, changed: 1, rescued: 1, failed: 1 }),
      h4: stats({ ok: 2, failed: 1 }),
      h5: stats({ ok: 2, unreachable: 1 }),
      h7: stats({ ok: 2, changed: 1 }),
      h8: stats({ ok: 1, failed: 1 }),
    }, new Set(['h7', 'h8']));
    // h8 failed on its own before it was stopped: failed
    expect(r).to.deep.equal({ updated: ['h1'], unchanged: ['h2'], rolledBack: ['h3'], failed: ['h4', 'h5', 'h8'], stopped: ['h7'], untouched: ['h6'] });
    expect(remainingHosts(r)).to.deep.equal(['h3', 'h4', 'h5', 'h6', 'h7', 'h8']);
    expect(rolloutText(r, '/tmp/config.retry').split('\n').slice(2)).to.deep.equal([
      'updated     (1): h1',
      'unchanged   (1): h2',
      'rolled back (1): h3',
      'failed      (3): h4, h5, h8',
      'stopped     (1): h7',
      'untouched   (1): h6',
      'to continue the rollout: --limit @/tmp/config.retry',
      '',
    ]);
    expect(rolloutText(r)).to.include('to continue the rollout: --limit h3,h4,h5,h6,h7,h8');
  });

  it('a finished rollout has nothing to continue', () => {
    const r = rolloutOf(['h1'], { h1: stats({ ok: 3, changed: 1 }) });
    expect(rolloutText(r)).to.not.include('to continue');
  });
});
