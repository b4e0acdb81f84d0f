import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { banner, formatRecap, INTERRUPTED_MESSAGE, recapText } from '../../src/output/recap.js';
import type { HostStats } from '../../src/output/events.js';

const cases = parse(readFileSync(new URL('../cases/output/recap.yaml', import.meta.url), 'utf8')) as {
  stats?: Record<string, HostStats>;
  banner?: string;
  text: string;
}[];

describe('recap and banners match ansible-playbook', () => {
  cases.forEach((c, i) => {
    it(`case ${i}: ${c.banner ?? 'recap'}`, () => {
      if (c.banner !== undefined) expect(banner(c.banner)).to.equal(c.text);
      else expect(formatRecap(c.stats!)).to.equal(c.text);
    });
  });
});

describe('recap after Ctrl-C', () => {
  const stats: Record<string, HostStats> = {
    web1: { ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 },
    db1: { ok: 1, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
  };

  it("interrupted: ansible-playbook's error line, then the usual recap", () => {
    const text = recapText({ type: 'recap', stats, interrupted: true });
    expect(text).to.equal(`\n${INTERRUPTED_MESSAGE}\n\n${formatRecap(stats)}`);
    expect(INTERRUPTED_MESSAGE).to.equal('[ERROR]: User interrupted execution');
    expect(recapText({ type: 'recap', stats })).to.equal(`\n${formatRecap(stats)}`);
  });

  it('a second Ctrl-C: one line of totals naming the hosts in trouble', () => {
    const text = recapText({ type: 'recap', stats, interrupted: true, forced: true });
    expect(text.trim().split('\n')).to.deep.equal([
      `${INTERRUPTED_MESSAGE} (second Ctrl-C: exiting now)`,
      'PLAY RECAP (interrupted) 2 hosts: ok=4 changed=1 unreachable=1 failed=0 skipped=1 rescued=0 ignored=0; failed or unreachable: db1',
    ]);
  });
});
