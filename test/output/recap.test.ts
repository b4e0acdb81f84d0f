import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { banner, formatRecap } from '../../src/output/recap.js';
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
