/**
 * --help renders the usage of the program and of each command (the command definitions hold the
 * options; their handlers load only when a command runs, and yargs' help cache is skipped).
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../src/cli/commands/index.js';
import { cli } from '../support/cli.js';

/** yargs writes help with console.log; collect it while the CLI runs in-process. */
async function withConsole(argv: string[]): Promise<{ code: number; logged: string; stdout: string }> {
  const logged: string[] = [];
  const saved = console.log;
  console.log = (...parts: unknown[]) => void logged.push(parts.join(' '));
  try {
    const { code, stdout } = await cli(argv);
    return { code, logged: logged.join('\n'), stdout };
  } finally {
    console.log = saved;
  }
}

const nameOf = (command: string | string[]) => (Array.isArray(command) ? command[0] : command).split(' ')[0];

describe('cli: --help', () => {
  it('falco-deploy --help lists every command and exits 0', async () => {
    const { code, logged } = await withConsole(['--help']);
    expect(code).to.equal(0);
    for (const c of commands) expect(logged).to.include(`falco-deploy ${Array.isArray(c.command) ? c.command[0] : c.command}`);
  });

  for (const c of commands) {
    it(`falco-deploy ${nameOf(c.command)} --help shows its usage, description and the global options, and exits 0`, async () => {
      const { code, logged } = await withConsole([nameOf(c.command), '--help']);
      expect(code).to.equal(0);
      expect(logged.startsWith(`falco-deploy ${nameOf(c.command)}`), logged.slice(0, 200)).to.equal(true);
      expect(logged.replace(/\s+/g, ' ')).to.include(c.describe.replace(/\s+/g, ' '));
      expect(logged).to.include('--inventory');
    });
  }

  it("run --help names run's own options", async () => {
    const { logged } = await withConsole(['run', '--help']);
    for (const option of ['--check', '--diff', '--tags', '--skip-tags', '--extra-vars', '--list-hosts', '--list-tasks', '--syntax-check', '--start-at-task', '--force-handlers', '--stats', '--shard', '--workers']) {
      expect(logged).to.include(option);
    }
  });

  it('a command that runs prints its output and no help', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-help-'));
    writeFileSync(join(dir, 'hosts.ini'), '[web]\nw1\nw2\n');
    const { code, logged, stdout } = await withConsole(['inventory', '-i', join(dir, 'hosts.ini'), '--list-hosts']);
    expect(code).to.equal(0);
    expect(stdout).to.equal('w1\nw2\n');
    expect(logged).to.equal('');
  });
});
