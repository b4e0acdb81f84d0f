/**
 * Config drift's comparison, table-driven: test/cases/health/drift/<case>.yaml
 *
 *   description: what the case shows
 *   desired: <DesiredState: what the playbook would write>
 *   hashes: { <path>: <sha256 on the host> }
 *   rules: [<RulesFile loaded by Falco>]
 *   rulesEntries: [<rules_files entries of the effective config>]
 *   expect: <DriftReport for playbook "site.yml", root /etc/falco>
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { compareDrift, driftProblem, rulesEntries } from '../../src/health/drift.js';
import { parseManagedFiles } from '../../src/health/drift-probe.js';
import type { DesiredState } from '../../src/engine/desired-files.js';
import type { RulesFile } from '../../src/health/model.js';
import { loadCases } from '../support/cases.js';

interface DriftCase {
  description: string;
  desired: DesiredState;
  hashes: Record<string, string>;
  rules: RulesFile[];
  rulesEntries: string[];
  expect: unknown;
}

const root = fileURLToPath(new URL('../cases/health', import.meta.url));

describe('health config drift: comparison (table-driven)', () => {
  for (const c of loadCases<DriftCase>(root).filter((x) => x.group === 'drift')) {
    it(`${c.name} — ${c.data.description}`, () => {
      const got = compareDrift('site.yml', '/etc/falco', c.data.desired, { hashes: new Map(Object.entries(c.data.hashes)), rules: c.data.rules, rulesEntries: c.data.rulesEntries });
      expect(got).to.deep.equal(c.data.expect);
    });
  }

  it('a drifted host gets one problem naming each file; in-sync and unknown get none', () => {
    const files = [
      { path: '/etc/falco/falco.yaml', reason: 'differs' as const },
      { path: '/etc/falco/rules.d/x.yaml', reason: 'unmanaged' as const },
    ];
    expect(driftProblem({ playbook: 's', status: 'drifted', managed: 1, files })).to.equal('config drift: /etc/falco/falco.yaml differs, /etc/falco/rules.d/x.yaml not written by the playbook');
    expect(driftProblem({ playbook: 's', status: 'in-sync', managed: 1, files: [] })).to.equal(undefined);
    expect(driftProblem({ playbook: 's', status: 'unknown', managed: 0, files: [], reason: 'r' })).to.equal(undefined);
  });

  it('reads sha256sum lines (text and binary mode) and the rules_files entries of a flattened config', () => {
    const a = 'a'.repeat(64);
    expect([...parseManagedFiles(`${a}  /etc/falco/a b.yaml\n${a} */etc/falco/c\n- /etc/falco/d\n`)]).to.deep.equal([
      ['/etc/falco/a b.yaml', a],
      ['/etc/falco/c', a],
      ['/etc/falco/d', null],
    ]);
    expect(rulesEntries({ 'rules_files[0]': '/a', 'rules_files[1]': '/b', 'rules_files[0].x': 'no', priority: 'debug' })).to.deep.equal(['/a', '/b']);
  });
});
