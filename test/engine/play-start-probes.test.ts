import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLocal } from '../support/run-local.js';

const play = (body: string) => `- name: test\n  hosts: all\n  gather_facts: true\n  tasks:\n${body}`;
const roundTrips = (r: Awaited<ReturnType<typeof runLocal>>) => [...r.provider.connections.values()].map((c) => c.stats.roundTrips);

describe('engine: the play-start batch', () => {
  const cases: { name: string; body: string; converged: number }[] = [
    {
      name: 'a when that reads the facts not gathered yet counts as maybe: the task is probed with the facts',
      body: `    - name: f
      copy: { content: "x\\n", dest: "$DIR/f" }
      when: ansible_facts.system is defined and ansible_facts.system != ''
`,
      converged: 1,
    },
    {
      name: 'a when that reads a variable a later set_fact defines counts as maybe',
      body: `    - set_fact: { go: true }
    - name: f
      copy: { content: "x\\n", dest: "$DIR/f" }
      when: go
`,
      converged: 1,
    },
    {
      name: 'probes that need the facts are not fetched in a second batch: the first commands carry them',
      body: `    - name: always runs
      command: "true"
    - name: f
      copy: { content: "x\\n", dest: "$DIR/f-{{ ansible_facts.system }}" }
`,
      converged: 2,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const files = { 'inventory.ini': '[all]\na\n', 'playbook.yml': play(c.body) };
      const first = await runLocal(files);
      expect(first.exitCode).to.equal(0);
      const second = await runLocal(files, { dir: first.dir });
      expect(second.results('f').map((e) => e.status)).to.deep.equal(['ok']);
      expect(roundTrips(second)).to.deep.equal([c.converged]);
    });
  }

  it('a task whose when is false now is not probed', async () => {
    const r = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': play(`    - name: f\n      stat: { path: "$DIR/none" }\n      when: false\n`) });
    const sent = [...r.provider.connections.values()].flatMap((c) => c.commands.map((q) => q.command));
    expect(r.results('f').map((e) => e.status)).to.deep.equal(['skipped']);
    expect(sent.join('\n')).to.not.include('/none');
  });

  it('a uri GET is not read ahead for a task whose when may yet be false: it would reach the server', async () => {
    const body = `    - name: f
      uri: { url: "http://127.0.0.1:9/never-asked" }
      when: ansible_facts.system == 'NoSuchSystem'
`;
    const r = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': play(body) });
    const sent = [...r.provider.connections.values()].flatMap((c) => c.commands.map((q) => q.command));
    expect(r.results('f').map((e) => e.status)).to.deep.equal(['skipped']);
    expect(sent.join('\n')).to.not.include('never-asked');
  });

  it('a pipe lookup runs its command at its task\'s turn only: not while probing ahead or joining batches', async () => {
    const pipe = (name: string) => `{{ lookup('pipe', 'echo x >> $DIR/ran-${name}; echo $DIR/${name}') }}`;
    const body = `    - name: skipped
      stat: { path: "${pipe('skipped')}" }
      when: ansible_facts.system == 'NoSuchSystem'
    - name: first
      copy: { content: "x\\n", dest: "$DIR/first" }
    - name: joined
      file: { path: "${pipe('joined')}", state: touch }
`;
    const r = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': play(body) });
    expect(r.exitCode).to.equal(0);
    expect(r.results('skipped').map((e) => e.status)).to.deep.equal(['skipped']);
    expect(existsSync(join(r.dir, 'ran-skipped'))).to.equal(false);
    expect(readFileSync(join(r.dir, 'ran-joined'), 'utf8')).to.equal('x\n');
  });
});
