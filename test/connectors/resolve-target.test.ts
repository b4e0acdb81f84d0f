import { expect } from 'chai';
import SSHConfig from 'ssh-config';
import { resolveTarget, type ResolveOptions } from '../../src/connectors/resolve-target.js';
import { InputError } from '../../src/errors.js';
import { loadCases, nullsToUndefined, pick } from './case-files.js';

interface Case {
  name: string;
  host: string;
  vars: Record<string, unknown>;
  options?: Partial<ResolveOptions>;
  sshConfig?: string;
  expect?: Record<string, unknown>;
  error?: string;
}

const file = loadCases<{ defaults: ResolveOptions; cases: Case[] }>('resolve-target.yaml');

describe('connectors/resolveTarget (test/cases/connectors/resolve-target.yaml)', () => {
  for (const c of file.cases) {
    it(c.name, () => {
      const opts = nullsToUndefined({ ...file.defaults, ...(c.options ?? {}) }) as ResolveOptions;
      const config = c.sshConfig === undefined ? undefined : SSHConfig.parse(c.sshConfig);
      const run = () => resolveTarget(c.host, c.vars, opts, config);
      if (c.error !== undefined) {
        expect(run).to.throw(InputError, c.error);
        return;
      }
      const expected = nullsToUndefined(c.expect ?? {});
      expect(pick(run(), expected)).to.deep.equal(expected);
    });
  }
});
