/**
 * A task's commands and the later tasks' probes go in ONE round trip; the first failing command
 * stops the batch (nothing after it runs, no probe result is kept); probes read the changed host.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { applyBatch, applyCommands, splitApplyResults, type JoinRequest } from '../../src/engine/apply.js';
import { HostState } from '../../src/engine/host-state.js';
import type { PendingProbe } from '../../src/engine/probes.js';
import type { ExecRequest, ExecResult, HostConnection } from '../../src/connectors/types.js';
import type { ModuleDefinition, PlannedCommand } from '../../src/modules/contract.js';
import { runLocal } from '../support/run-local.js';

const rc = (exitCode: number): ExecResult => ({ stdout: `${exitCode}`, stderr: '', exitCode, durationMs: 0 });

describe('engine/apply: what a batch of commands + probes kept (table)', () => {
  const cases: { name: string; ok: (number[] | undefined)[]; probes: number; exits: number[]; failed?: number; commands: number; probesKept: boolean }[] = [
    { name: 'all commands ran and succeeded, every probe ran', ok: [undefined, undefined], probes: 2, exits: [0, 0, 0, 1], commands: 2, probesKept: true },
    { name: 'the first command failed: nothing after it is kept', ok: [undefined, undefined], probes: 2, exits: [3], failed: 0, commands: 1, probesKept: false },
    { name: 'a failing exit code listed in okExitCodes does not stop', ok: [[0, 1], undefined], probes: 1, exits: [1, 0, 0], commands: 2, probesKept: true },
    { name: 'the second command failed', ok: [undefined, [0]], probes: 3, exits: [0, 2], failed: 1, commands: 2, probesKept: false },
    { name: 'a short batch (the connection stopped) keeps no probe result', ok: [undefined], probes: 2, exits: [0, 0], commands: 1, probesKept: false },
    { name: 'no probes', ok: [undefined], probes: 0, exits: [0], commands: 1, probesKept: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = splitApplyResults(c.ok.map((okExitCodes) => ({ okExitCodes })), c.probes, c.exits.map(rc));
      expect(out.failedCommand).to.equal(c.failed);
      expect(out.commandResults.map((r) => r.exitCode)).to.deep.equal(c.exits.slice(0, c.commands));
      expect(out.probeResults !== undefined).to.equal(c.probesKept);
      if (out.probeResults) expect(out.probeResults.map((r) => r.exitCode)).to.deep.equal(c.exits.slice(c.commands));
    });
  }
});

describe('engine/apply: what goes into a task\'s one batch (table)', () => {
  const probe = (key: string, become: boolean, reqBecome?: boolean): PendingProbe => ({
    become,
    req: { fact: 'f', args: {}, key, command: `probe ${key}`, become: reqBecome, parse: () => undefined },
  });
  const opts = { env: { A: '1' }, become: true, becomeUser: 'svc' };
  const cases: { name: string; commands: PlannedCommand[]; later: PendingProbe[]; requests: Record<string, unknown>[]; keys: string[] }[] = [
    { name: 'no command: nothing to send, not even the later probes', commands: [], later: [probe('k', true)], requests: [], keys: [] },
    {
      name: 'commands in order, each stopping the batch unless ok, then the later probes',
      commands: [{ command: 'one' }, { command: 'two', okExitCodes: [0, 2], become: false, env: { B: '2' } }],
      later: [probe('k', true)],
      requests: [
        { command: 'one', stopBatchUnless: [0], become: true, becomeUser: 'svc', env: { A: '1' } },
        { command: 'two', stopBatchUnless: [0, 2], become: false, becomeUser: 'svc', env: { A: '1', B: '2' } },
        { command: 'probe k', become: true },
      ],
      keys: ['root:k'],
    },
    {
      name: 'a wait (read-only) is followed by the probes too: they read the host after it',
      commands: [{ command: 'wait', readOnly: true }],
      later: [probe('k', false), probe('k', false), probe('r', false, true)],
      requests: [{ command: 'wait' }, { command: 'probe k', become: false }, { command: 'probe r', become: true }],
      keys: ['user:k', 'root:r'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { requests, probeKeys } = applyBatch(c.commands, opts, c.later);
      expect(requests).to.have.length(c.requests.length);
      c.requests.forEach((want, i) => expect(requests[i]).to.deep.include(want));
      // a probe never stops the batch: only the commands do
      requests.slice(c.commands.length).forEach((r) => expect(r).to.not.have.property('stopBatchUnless'));
      expect(probeKeys).to.deep.equal(c.keys);
    });
  }
});

describe('engine/apply: a batch with joined tasks: what ran and what the probe cache holds (table)', () => {
  // layout: the task's 1 command, the 1 later probe (L0), then per joined task its 1 guard and
  // 1 command, then the later probe again (L); exit codes are scripted, a batch ends at the first
  // stopBatchUnless that fails as the remote shell ends it
  const join = (n: string): JoinRequest => ({ guard: [{ command: `guard ${n}`, stopBatchUnless: [0] }], commands: [{ command: `cmd ${n}` }], opts: { env: {}, become: false } });
  const cases: { name: string; exits: number[]; joined: number[][]; failed?: number; cache?: string }[] = [
    { name: 'every guard passed: both joined tasks ran, the cache is the last probes', exits: [0, 0, 0, 0, 0, 0, 0], joined: [[0], [0]], cache: 'L' },
    { name: 'the task\'s command failed: nothing joined ran, nothing cached', exits: [5], joined: [], failed: 0 },
    { name: 'the first guard stopped the batch: nothing joined ran, the cache is the probes read after the task', exits: [0, 0, 1], joined: [], cache: 'L0' },
    { name: 'the second guard stopped it: the first joined task ran, the probes before it are stale', exits: [0, 0, 0, 0, 1], joined: [[0]] },
    { name: 'a joined task\'s command failed: it ran (failed), the next did not, nothing cached', exits: [0, 0, 0, 7], joined: [[7]] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const state = new HostState('a');
      const conn = {
        execBatch: async (requests: ExecRequest[]) => {
          const out: ExecResult[] = [];
          for (const [i, r] of requests.entries()) {
            if (i >= c.exits.length) break;
            out.push({ ...rc(c.exits[i]), stdout: i === 1 ? 'L0' : 'L' });
            if (r.stopBatchUnless && !r.stopBatchUnless.includes(c.exits[i])) break;
          }
          return out;
        },
      } as unknown as HostConnection;
      const later: PendingProbe[] = [{ become: false, req: { fact: 'f', args: {}, key: 'k', command: 'probe', parse: () => undefined } }];
      const out = await applyCommands(state, conn, [{ command: 'cmd task' }], { env: {}, become: false }, later, [join('1'), join('2')]);
      expect(out.failedCommand).to.equal(c.failed);
      expect(out.joined.map((j) => j.results.map((r) => r.exitCode))).to.deep.equal(c.joined);
      expect(state.probeCache.get('user:k')?.stdout).to.equal(c.cache);
    });
  }
});

/** A module whose plan is the commands it is given (each `cmd` arg a command), always a change. */
const steps: ModuleDefinition = {
  name: 'steps',
  spec: { args: { cmds: { type: 'list', elements: 'str', required: true } } },
  probes: () => [],
  plan: (args) => ({ commands: (args.cmds as string[]).map((command) => ({ command })), changed: true }),
};

/** Runs these tasks on one local host `a`, with the `steps` module. */
const runTasks = (tasks: string) =>
  runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}` }, { modules: [steps] });

describe('engine/apply: round trips of a small play (local hosts)', () => {
  it('a two-command change and the later tasks\' probes cost ONE round trip; the probes see the changed host', async () => {
    const r = await runTasks(`
    - name: change
      steps: { cmds: ["touch $DIR/one", "touch $DIR/two"] }
    - name: look
      stat: { path: "$DIR/two" }
      register: st
    - name: copy
      copy: { content: "x\\n", dest: "$DIR/three" }
`);
    expect(r.results('look')[0].result?.stat).to.include({ exists: true });
    expect(r.results('copy')[0].status).to.equal('changed');
    // the prefetch, the change (+ later probes), the copy (+ later probes): no probe-only round trip after a change
    expect(r.provider.connections.get('a')!.stats.roundTrips).to.equal(3);
  });

  it('a failing command stops its batch: the next command and the batched probes never run, the next task reads the host again', async () => {
    const r = await runTasks(`
    - name: change
      steps: { cmds: ["touch $DIR/made; exit 3", "touch $DIR/never"] }
      ignore_errors: true
    - name: look
      stat: { path: "$DIR/made" }
      register: st
`);
    const conn = r.provider.connections.get('a')!;
    expect(r.results('change')[0]).to.include({ status: 'ignored' });
    expect(existsSync(join(r.dir, 'never'))).to.equal(false);
    expect(r.results('look')[0].result?.stat).to.include({ exists: true });
    // the stat probe was asked in the prefetch, skipped in the failed batch, asked again by its task
    expect(conn.commands.filter((c) => c.command.includes('/made') && !c.command.includes('touch'))).to.have.length(2);
    expect(conn.stats.roundTrips).to.equal(3);
  });

  it('a failing task ends the host there: later tasks and their commands never run', async () => {
    const r = await runTasks(`
    - name: change
      steps: { cmds: ["exit 4", "touch $DIR/never"] }
    - name: later
      copy: { content: "x\\n", dest: "$DIR/later" }
`);
    expect(r.results('change')[0].status).to.equal('failed');
    expect(r.results('later')).to.have.length(0);
    expect(existsSync(join(r.dir, 'never'))).to.equal(false);
    expect(existsSync(join(r.dir, 'later'))).to.equal(false);
  });
});
