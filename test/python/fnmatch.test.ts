import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fnmatch } from '../../src/python/fnmatch.js';
import { compileHostPattern } from '../../src/inventory/patterns.js';
import { matchesStartAt } from '../../src/playbook/list.js';
import { filterFacts } from '../../src/modules/setup.js';

/** Recorded from Python's fnmatch.fnmatchcase by test/python/record-fnmatch.py. */
const cases = parse(readFileSync(new URL('../cases/python/fnmatch.yaml', import.meta.url), 'utf8')) as {
  glob: string;
  name: string;
  match: boolean;
}[];

const label = (c: { glob: string; name: string }) => `${JSON.stringify(c.name)} ~ ${JSON.stringify(c.glob)}`;

describe('fnmatch (Python fnmatch.fnmatchcase)', () => {
  for (const c of cases) {
    it(`${label(c)} -> ${c.match}`, () => expect(fnmatch(c.name, c.glob)).to.equal(c.match));
  }

  // Every caller whose Ansible counterpart is fnmatch answers the same table.
  it('inventory host patterns (InventoryManager: fnmatch.translate)', () => {
    for (const c of cases) expect(compileHostPattern(c.glob).test(c.name), label(c)).to.equal(c.match);
  });

  it('--start-at-task (PlayIterator: fnmatch.fnmatch)', () => {
    for (const c of cases.filter((x) => x.name !== x.glob)) {
      expect(matchesStartAt({ name: c.name }, c.glob), label(c)).to.equal(c.match);
    }
  });

  it('setup filter (ansible_collector: fnmatch.fnmatch on ansible_<fact>)', () => {
    for (const c of cases.filter((x) => x.name !== '' && x.glob !== '*')) {
      const expected = fnmatch(`ansible_${c.name}`, c.glob) || c.match;
      expect(Object.keys(filterFacts({ [c.name]: 1 }, c.glob)), label(c)).to.deep.equal(expected ? [c.name] : []);
    }
  });

  it('a glob with many stars does not backtrack exponentially', () => {
    const started = process.cpuUsage();
    expect(fnmatch('a'.repeat(5000), '*a*a*a*a*a*a*a*a*a*a*b')).to.equal(false);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000, 'CPU ms').to.be.below(500);
  });
});
