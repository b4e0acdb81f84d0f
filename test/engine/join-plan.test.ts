/**
 * Joined batches on local hosts: a host walking its tasks alone runs consecutive file writers in
 * one round trip, with the results, recap and diff of running them one task at a time; the
 * checks made when the next task is planned keep it out of the batch whenever its turn could
 * plan something else.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLocal } from '../support/run-local.js';

const play = (body: string, head = '') => `- hosts: all\n  gather_facts: false\n${head}  tasks:\n${body}`;
const roundTrips = (r: Awaited<ReturnType<typeof runLocal>>, host: string) => [...r.provider.connections.entries()].find(([h]) => h === host)![1].stats.roundTrips;

describe('engine: joined batches (one host)', () => {
  it('gives the results, diff and recap of running one task at a time, in fewer round trips', async () => {
    const body = `    - name: w0
      copy: { content: "zero\\n", dest: "$DIR/w0-{{ inventory_hostname }}" }
      register: r0
      notify: h
    - name: w1
      file: { path: "$DIR/d-{{ inventory_hostname }}", state: directory, mode: "0750" }
    - name: w2
      lineinfile: { path: "$DIR/w2-{{ inventory_hostname }}", line: "two", create: true }
    - name: w3
      copy: { content: "three\\n", dest: "$DIR/w3-{{ inventory_hostname }}" }
    - name: reads r0 after the joined tasks
      debug: { msg: "{{ r0.changed }}" }
  handlers:
    - name: h
      debug: { msg: handled }
`;
    const files = { 'inventory.ini': '[all]\na\nb\n', 'playbook.yml': play(body) };
    const joined = await runLocal(files, { limit: 'a', diff: true });
    const lockstep = await runLocal(files, { diff: true });
    const view = (r: typeof joined) =>
      JSON.parse(JSON.stringify(r.events.filter((e) => !('host' in e) || e.host === 'a')).replaceAll(r.dir, '$DIR'));
    // host a's share of each event: headers list the hosts, the recap counts each
    const hosts = (events: { type: string; hosts?: string[]; stats?: Record<string, unknown> }[]) =>
      events.map((e) => (e.hosts ? { ...e, hosts: e.hosts.filter((h) => h === 'a') } : e.stats ? { ...e, stats: { a: e.stats.a } } : e));
    expect(hosts(view(joined))).to.deep.equal(hosts(view(lockstep)));
    expect(joined.stats.a).to.deep.equal(lockstep.stats.a);
    expect(roundTrips(joined, 'a')).to.equal(2); // the play-start probes, then the four tasks' commands
    expect(roundTrips(lockstep, 'a')).to.equal(5);
  });

  // Each case: tasks on one host. STALE registers `r0` from a stat, so a plan made too early
  // reads that stale value, and runs a command whose batch probes the tasks after it again.
  // Round trips: the play-start probes, that command, the first copy's batch; the next copy's
  // own one when it does not join (and its probe first when they could not be fetched before).
  const STALE = `    - stat: { path: "$DIR/none" }
      register: r0
    - command: "true"
`;
  const cases: { name: string; body: string; head?: string; roundTrips: number; check: (dir: string) => void }[] = [
    {
      name: 'the next task reads the register of the one before: not joined',
      body: `${STALE}    - copy: { content: "x\\n", dest: "$DIR/one" }
      register: r0
    - copy: { content: "{{ r0.changed }}", dest: "$DIR/two" }
`,
      roundTrips: 4,
      check: (dir) => expect(readFileSync(join(dir, 'two'), 'utf8')).to.equal('True'),
    },
    {
      name: 'the next task reads the register through a play variable: not joined',
      head: `  vars:\n    was: "{{ r0.changed }}"\n`,
      body: `${STALE}    - copy: { content: "x\\n", dest: "$DIR/one" }
      register: r0
    - copy: { content: "{{ was }}", dest: "$DIR/two" }
`,
      roundTrips: 4,
      check: (dir) => expect(readFileSync(join(dir, 'two'), 'utf8')).to.equal('True'),
    },
    {
      name: 'the next task\'s when reads the register: not joined',
      body: `${STALE}    - copy: { content: "x\\n", dest: "$DIR/one" }
      register: r0
    - copy: { content: "y\\n", dest: "$DIR/two" }
      when: r0 is not changed
`,
      roundTrips: 3,
      check: (dir) => expect(existsSync(join(dir, 'two'))).to.equal(false),
    },
    {
      name: 'the next task reads hostvars (other hosts move on meanwhile): not joined',
      body: `    - copy: { content: "x\\n", dest: "$DIR/one" }
    - copy: { content: "{{ hostvars[inventory_hostname].inventory_hostname }}\\n", dest: "$DIR/two" }
`,
      roundTrips: 3,
      check: (dir) => expect(readFileSync(join(dir, 'two'), 'utf8')).to.equal('a\n'),
    },
    {
      name: 'a register the next task does not read: joined',
      body: `${STALE}    - copy: { content: "x\\n", dest: "$DIR/one" }
      register: r0
    - copy: { content: "y\\n", dest: "$DIR/two" }
`,
      roundTrips: 3,
      check: (dir) => expect(readFileSync(join(dir, 'two'), 'utf8')).to.equal('y\n'),
    },
    {
      name: 'the next task probes what the one before wrote: the guard stops the batch, its turn plans anew',
      body: `    - copy: { content: "first\\n", dest: "$DIR/one" }
    - lineinfile: { path: "$DIR/one", line: "second", create: true }
`,
      roundTrips: 3,
      check: (dir) => expect(readFileSync(join(dir, 'one'), 'utf8')).to.equal('first\nsecond\n'),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': play(c.body, c.head) });
      expect(r.exitCode).to.equal(0);
      c.check(r.dir);
      expect(roundTrips(r, 'a')).to.equal(c.roundTrips);
    });
  }

  // Who walks alone: the free strategy's hosts, and the last host of a linear batch still running
  const walks: { name: string; head: string; first: string; roundTrips: Record<string, number> }[] = [
    { name: 'two hosts in lockstep (linear): nothing joins', head: '', first: '', roundTrips: { a: 3, b: 3 } },
    { name: 'the free strategy: each host walks alone, its writers join', head: '  strategy: free\n', first: '', roundTrips: { a: 2, b: 2 } },
    {
      name: 'linear with one host left (the other failed): its writers join',
      head: '',
      first: '    - fail: { msg: out }\n      when: inventory_hostname == "b"\n',
      roundTrips: { a: 2, b: 1 },
    },
  ];
  for (const w of walks) {
    it(w.name, async () => {
      const body = `${w.first}    - copy: { content: "x\\n", dest: "$DIR/one-{{ inventory_hostname }}" }
    - copy: { content: "y\\n", dest: "$DIR/two-{{ inventory_hostname }}" }
`;
      const r = await runLocal({ 'inventory.ini': '[all]\na\nb\n', 'playbook.yml': play(body, w.head) });
      expect(Object.fromEntries(['a', 'b'].map((h) => [h, roundTrips(r, h)]))).to.deep.equal(w.roundTrips);
      expect(readFileSync(join(r.dir, 'two-a'), 'utf8')).to.equal('y\n');
    });
  }

  it('a failing earlier task leaves the joined task\'s file unwritten; with ignore_errors the next task runs at its turn', async () => {
    const body = (ignore: boolean) => `    - name: bad
      copy: { content: "x\\n", dest: "$DIR/one", validate: "false %s" }
${ignore ? '      ignore_errors: true\n' : ''}    - name: next
      copy: { content: "y\\n", dest: "$DIR/two" }
`;
    const failed = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': play(body(false)) });
    expect(failed.results('bad').map((e) => e.status)).to.deep.equal(['failed']);
    expect(failed.results('next')).to.deep.equal([]);
    expect(existsSync(join(failed.dir, 'one'))).to.equal(false);
    expect(existsSync(join(failed.dir, 'two'))).to.equal(false);
    const ignored = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': play(body(true)) });
    expect(ignored.results('bad').map((e) => e.status)).to.deep.equal(['ignored']);
    expect(ignored.results('next').map((e) => e.status)).to.deep.equal(['changed']);
    expect(readFileSync(join(ignored.dir, 'two'), 'utf8')).to.equal('y\n');
    // as without joins: the failed batch dropped the probe cache, so the next task probes, then applies
    expect(roundTrips(ignored, 'a')).to.equal(4);
  });

  it('a joined task whose own command fails is reported failed at its turn, and the task after it never runs', async () => {
    const body = `    - name: ok
      copy: { content: "x\\n", dest: "$DIR/one" }
    - name: bad
      copy: { content: "y\\n", dest: "$DIR/two", validate: "false %s" }
    - name: after
      copy: { content: "z\\n", dest: "$DIR/three" }
`;
    const r = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': play(body) });
    expect(r.events.filter((e) => e.type === 'host_result').map((e) => [e.task, e.status])).to.deep.equal([
      ['ok', 'changed'],
      ['bad', 'failed'],
    ]);
    expect(existsSync(join(r.dir, 'one'))).to.equal(true);
    expect(existsSync(join(r.dir, 'two'))).to.equal(false);
    expect(existsSync(join(r.dir, 'three'))).to.equal(false);
    expect(roundTrips(r, 'a')).to.equal(2);
  });
});
