/**
 * Whether a task's commands may join the batch of the task before (the static rules), and the
 * guard that stops the batch unless the joined task's probes read what its plan was made from.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { joinBlocker, guardRequests, type JoinWalk } from '../../src/engine/joined-batch.js';
import { findModule } from '../../src/modules/registry.js';
import type { Task, TaskNode } from '../../src/playbook/model.js';

const task = (over: Partial<Task> = {}): Task => ({
  kind: 'task',
  id: 't',
  displayName: 't',
  module: 'copy',
  moduleAs: 'copy',
  args: {},
  argsSource: { file: 'p.yml', line: 1, col: 1 },
  notify: [],
  listen: [],
  source: { file: 'p.yml', line: 1, col: 1 },
  when: [],
  tags: [],
  blockPath: [],
  vars: {},
  environment: [],
  ...over,
});

const walk = (over: Partial<JoinWalk> = {}): JoinWalk => ({ oneHost: true, handler: false, check: false, play: {}, findModule, selected: () => true, ...over });

describe('engine/joined-batch: may the next task\'s commands join the batch of the one before (table)', () => {
  const cases: { name: string; prev?: Partial<Task>; next?: Partial<Task> | TaskNode; walk?: Partial<JoinWalk>; blocked?: RegExp }[] = [
    { name: 'two file writers, one host, nothing decided between: they join' },
    { name: 'register on the earlier task (whether the next reads it is join-plan.ts\'s check)', prev: { register: 'r', notify: ['h'], changedWhen: [false] } },
    { name: 'more than one host in lockstep', walk: { oneHost: false }, blocked: /lockstep/ },
    { name: 'handlers', walk: { handler: true }, blocked: /handlers/ },
    { name: 'check mode', walk: { check: true }, blocked: /check mode/ },
    { name: 'the play has any_errors_fatal', walk: { play: { anyErrorsFatal: true } }, blocked: /any_errors_fatal/ },
    { name: 'the next node is a block', next: { kind: 'block', id: 'b', block: [], rescue: [], always: [], source: { file: 'p.yml', line: 1, col: 1 }, when: [], tags: [], blockPath: [], vars: {}, environment: [] }, blocked: /block/ },
    { name: 'the earlier module does not join (command: its result has the clock)', prev: { module: 'command' }, blocked: /earlier task's module/ },
    { name: 'the next module does not join (a local module)', next: { module: 'set_fact' }, blocked: /next task's module/ },
    { name: 'the next module does not join (drives the host: reboot)', next: { module: 'reboot' }, blocked: /next task's module/ },
    { name: 'the earlier task loops', prev: { loop: { items: [1] } }, blocked: /earlier task loops/ },
    { name: 'the next task loops', next: { loop: { items: [1] } }, blocked: /next task loops/ },
    { name: 'the earlier task retries', prev: { until: ['r is ok'] }, blocked: /earlier task retries/ },
    { name: 'the next task retries', next: { until: ['r is ok'] }, blocked: /next task retries/ },
    { name: 'the earlier task has any_errors_fatal', prev: { anyErrorsFatal: '{{ x }}' }, blocked: /any_errors_fatal/ },
    { name: 'the next task has any_errors_fatal', next: { anyErrorsFatal: true }, blocked: /any_errors_fatal/ },
    { name: 'run_once', next: { runOnce: true }, blocked: /run_once/ },
    { name: 'delegate_to', prev: { delegateTo: 'other' }, blocked: /delegated/ },
    { name: 'a connection of its own', next: { connection: 'local' }, blocked: /delegated/ },
    { name: 'throttle', next: { throttle: 1 }, blocked: /throttled/ },
    { name: 'async', prev: { async: 10 }, blocked: /async/ },
    { name: 'failed_when on the earlier task', prev: { failedWhen: ['false'] }, blocked: /failed_when/ },
    { name: 'a templated changed_when on the earlier task', prev: { changedWhen: ['r.rc == 0'] }, blocked: /changed_when/ },
    { name: 'a templated ignore_errors on the earlier task', prev: { ignoreErrors: '{{ x }}' }, blocked: /ignoreErrors/ },
    { name: 'a templated ignore_unreachable on the earlier task', prev: { ignoreUnreachable: '{{ x }}' }, blocked: /ignoreUnreachable/ },
    { name: 'a templated no_log on the earlier task', prev: { noLog: '{{ x }}' }, blocked: /noLog/ },
    { name: 'another remote user', next: { remoteUser: 'other' }, blocked: /connection settings/ },
    { name: 'another become method flags', next: { becomeFlags: '-H' }, blocked: /connection settings/ },
    { name: 'the walker would not run the next task (tags)', walk: { selected: () => false }, blocked: /does not run/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const next = c.next && 'kind' in c.next && c.next.kind === 'block' ? (c.next as TaskNode) : task({ id: 'n', ...(c.next as Partial<Task>) });
      const reason = joinBlocker(task(c.prev), next, walk(c.walk));
      if (c.blocked) expect(reason).to.match(c.blocked);
      else expect(reason).to.equal(undefined);
    });
  }
});

describe('engine/joined-batch: the guard before a joined task\'s commands', () => {
  const run = (command: string) => spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' }).status;
  const probe = 'printf "a\\nb\\n"; echo warn >&2; exit 3';
  const expected = { stdout: 'a\nb\n', stderr: 'warn\n', exitCode: 3, durationMs: 0 };
  const cases: { name: string; result: typeof expected; exit: number }[] = [
    { name: 'the probe reads what was cached: the batch goes on', result: expected, exit: 0 },
    { name: 'another stdout (one byte): the batch stops', result: { ...expected, stdout: 'a\nb' }, exit: 1 },
    { name: 'another stderr: the batch stops', result: { ...expected, stderr: '' }, exit: 1 },
    { name: 'another exit code: the batch stops', result: { ...expected, exitCode: 0 }, exit: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const [guard] = guardRequests([{ command: probe, become: false, expected: c.result }]);
      expect(guard.stopBatchUnless).to.deep.equal([0]);
      expect(run(guard.command)).to.equal(c.exit);
    });
  }

  it('one guard per remote shell (become), every probe checked', () => {
    const guards = guardRequests([
      { command: 'echo a', become: true, expected: { stdout: 'a\n', stderr: '', exitCode: 0, durationMs: 0 } },
      { command: 'echo b', become: false, expected: { stdout: 'b\n', stderr: '', exitCode: 0, durationMs: 0 } },
      { command: 'echo c', become: true, expected: { stdout: 'changed\n', stderr: '', exitCode: 0, durationMs: 0 } },
    ]);
    expect(guards.map((g) => g.become)).to.deep.equal([true, false]);
    expect(guards.map((g) => run(g.command))).to.deep.equal([1, 0]);
  });
});
