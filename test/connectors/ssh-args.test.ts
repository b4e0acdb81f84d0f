import { expect } from 'chai';
import { directivesFromSshArgs, proxyCommandAsJump } from '../../src/connectors/ssh-args.js';
import { loadCases } from './case-files.js';

const file = loadCases<{
  directives: { args: string; expect: Record<string, unknown> }[];
  proxyCommands: { command: string; jump: string | null }[];
}>('ssh-args.yaml');

describe('connectors/ssh-args (test/cases/connectors/ssh-args.yaml)', () => {
  for (const c of file.directives) {
    it(`directives of: ${c.args || '(empty)'}`, () => {
      expect(directivesFromSshArgs(c.args)).to.deep.equal(c.expect);
    });
  }
  for (const c of file.proxyCommands) {
    it(`ProxyCommand ${c.command} -> ${c.jump ?? 'not a jump'}`, () => {
      expect(proxyCommandAsJump(c.command) ?? null).to.equal(c.jump);
    });
  }
});
