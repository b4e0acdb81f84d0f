import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { killTreeCommand } from '../../src/connectors/kill-tree.js';

/** Live (not zombie) processes of this machine with `arg` among their arguments. */
function withArg(arg: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') return false;
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(arg);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

describe('connectors: killing a remote command tree (kill-tree.ts, run locally)', () => {
  // A unique sleep argument marks every process of the tree (GNU sleep takes fractions).
  const marker = `3000.${randomInt(1e6)}`;
  let started: number[] = [];

  afterEach(() => {
    for (const pid of withArg(marker)) process.kill(pid, 'SIGKILL');
  });

  it('ends the root, its children, a pipeline in a grandchild and a child that ignores SIGTERM', async () => {
    const tree = `sh -c "sleep ${marker} | cat" & (trap '' TERM; sleep ${marker}; :) & sleep ${marker}`;
    const root = spawn('/bin/sh', ['-c', tree], { stdio: 'ignore' });
    expect(await until(() => withArg(marker).length === 3, 3000), 'three sleeps started').to.equal(true);
    started = withArg(marker);
    const t0 = Date.now();
    execFileSync('/bin/sh', ['-c', killTreeCommand(root.pid!)]);
    // about a second on an idle machine; the bound only proves the TERM-ignoring child (a 3000 s
    // sleep) is not waited for, and holds on a loaded CI machine too
    expect(Date.now() - t0, 'SIGKILL follows SIGTERM, the TERM-ignoring child is not waited for').to.be.below(15_000);
    expect(await until(() => withArg(marker).length === 0, 1000), `left: ${withArg(marker).join(' ')} of ${started.join(' ')}`).to.equal(true);
    expect(await until(() => root.exitCode !== null || root.signalCode !== null, 1000)).to.equal(true);
  });

  it('leaves processes outside the tree alone and exits 0 when the pid is already gone', () => {
    const bystander = spawn('sleep', [marker], { stdio: 'ignore' });
    const gone = spawn('/bin/true');
    return new Promise<void>((resolve) => gone.on('exit', () => resolve())).then(() => {
      execFileSync('/bin/sh', ['-c', killTreeCommand(gone.pid!)]);
      expect(withArg(marker)).to.deep.equal([bystander.pid]);
    });
  });

  it('refuses pids that would hit init or a process group', () => {
    for (const pid of [0, 1, -5, 1.5]) expect(() => killTreeCommand(pid)).to.throw(/refusing/);
  });
});
