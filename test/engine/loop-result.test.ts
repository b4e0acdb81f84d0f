import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { aggregateLoop, type ItemResult } from '../../src/engine/loop-result.js';

const cases = parse(readFileSync(new URL('../cases/engine/loop-results.yaml', import.meta.url), 'utf8')) as {
  name: string;
  items: ItemResult[];
  expect: Record<string, unknown>;
}[];

describe('loop result aggregation (as Ansible registers it)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const out = aggregateLoop(c.items);
      expect(out).to.deep.include(c.expect);
      if (c.items.length) expect(out.results).to.deep.equal(c.items);
    });
  }
});
