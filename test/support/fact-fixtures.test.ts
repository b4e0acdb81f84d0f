/** Fact fixtures answer the requested probes by fact name and args; anything ambiguous or left over is an error. */
import { expect } from 'chai';
import { fileStat } from '../../src/facts/file-stat.js';
import { pathExists } from '../../src/facts/path-exists.js';
import { fixtureFacts, type FactFixture } from './fact-fixtures.js';

const where = 'test/cases/modules/file/x.yaml';
const link = fileStat({ path: '/etc/x' });
const target = fileStat({ path: '/etc/x', follow: true });
const src = pathExists({ path: '/opt/x' });

describe('fact fixtures', () => {
  it('a fixture answers the probe with its fact name and the args it gives', () => {
    const facts = fixtureFacts([link, src], [
      { fact: 'path_exists', value: true },
      { fact: 'file_stat', args: { path: '/etc/x' }, value: { exists: false } },
    ], where);
    expect(facts.get(link)).to.deep.equal({ exists: false });
    expect(facts.get(src)).to.equal(true);
  });

  it('args are compared deeply and told apart by what differs', () => {
    const fixtures: FactFixture[] = [
      { fact: 'file_stat', args: { path: '/etc/x', follow: false }, value: { exists: false } },
      { fact: 'file_stat', args: { follow: true }, value: { exists: true } },
    ];
    const facts = fixtureFacts([link, target], fixtures, where);
    expect(facts.get(link)).to.deep.equal({ exists: false });
    expect(facts.get(target)).to.deep.equal({ exists: true });
  });

  it('a probe no fixture answers is an error naming the case file and the probe', () => {
    expect(() => fixtureFacts([link, src], [{ fact: 'file_stat', value: {} }], where)).to.throw(
      `${where}: the module probes path_exists {"path":"/opt/x","become":false} but no fixture matches it`,
    );
    expect(() => fixtureFacts([link], [{ fact: 'file_stat', args: { path: '/etc/y' }, value: {} }], where)).to.throw(/no fixture matches it/);
  });

  it('a probe several fixtures answer is an error', () => {
    const two = [{ fact: 'file_stat', value: {} }, { fact: 'file_stat', args: { path: '/etc/x' }, value: {} }];
    expect(() => fixtureFacts([link], two, where)).to.throw(`${where}: the module probes file_stat`);
    expect(() => fixtureFacts([link], two, where)).to.throw('several fixtures match it (facts[0], facts[1]): give more args');
  });

  it('a fixture that answers no probe (a stale one) is an error', () => {
    const stale = [{ fact: 'file_stat', value: {} }, { fact: 'tree_attrs_differ', args: { path: '/etc/x' }, value: true }];
    expect(() => fixtureFacts([link], stale, where)).to.throw(`${where}: facts[1] (tree_attrs_differ {"path":"/etc/x"}) answers no probe`);
    expect(() => fixtureFacts([], [{ fact: 'setup', value: {} }], where)).to.throw('the module probes: nothing');
  });

  it('facts keyed by the internal cache key (the old form) are refused', () => {
    expect(() => fixtureFacts([link], { [link.key]: { exists: false } }, where)).to.throw(`${where}: facts must be a list of { fact, args, value }`);
    expect(() => fixtureFacts([link], [{ fact: 'file_stat' }], where)).to.throw('facts[0] needs a fact name and a value');
    expect(() => fixtureFacts([link], [{ fact: 'file_stat', args: ['/etc/x'], value: {} }], where)).to.throw("facts[0].args must be a mapping of the fact's arguments");
  });
});
