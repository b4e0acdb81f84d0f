import { expect } from 'chai';
import { factVars, layerVars } from '../../src/engine/vars.js';

describe('variable precedence', () => {
  const names = [
    'roleDefaults',
    'inventory',
    'facts',
    'playVars',
    'varsFiles',
    'roleVars',
    'taskVars',
    'hostRuntime',
    'roleParams',
    'includeParams',
    'extraVars',
  ] as const;

  names.forEach((winner, i) => {
    it(`${winner} beats everything below it`, () => {
      const layers = Object.fromEntries(names.slice(0, i + 1).map((n) => [n, { x: n }]));
      expect(layerVars(layers).x).to.equal(winner);
    });
  });

  it('keeps variables defined only in lower layers', () => {
    expect(layerVars({ roleDefaults: { a: 1 }, extraVars: { b: 2 } })).to.deep.equal({ a: 1, b: 2 });
  });

  it('injects facts as ansible_facts and ansible_* names', () => {
    expect(factVars({ distribution: 'Debian', ansible_local: {} })).to.deep.equal({
      ansible_facts: { distribution: 'Debian', ansible_local: {} },
      ansible_distribution: 'Debian',
      ansible_local: {},
    });
  });
});
