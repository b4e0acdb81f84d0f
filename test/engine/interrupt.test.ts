import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { runLocal } from '../support/run-local.js';
import { LocalProvider } from '../support/local-connection.js';

/** Aborts `controller` once `ready()` holds (polled), and returns when the abort happened. */
function abortWhen(controller: AbortController, ready: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      controller.abort();
      resolve(Date.now());
    }, 20);
  });
}

describe('engine: Ctrl-C (the run signal aborted)', () => {
  it('stops starting tasks and batches, ends the running command, recap marked interrupted, exit 130', async () => {
    const controller = new AbortController();
    const marker = `300.${randomInt(1e6)}`;
    const provider = new LocalProvider();
    const sleeping = () => [...provider.connections.values()].some((c) => c.running.size > 0 && c.commands.at(-1)?.command.includes(marker));
    const aborted = abortWhen(controller, sleeping);
    const r = await runLocal(
      {
        'inventory.ini': '[all]\na\nb\n',
        'playbook.yml': `- hosts: all
  gather_facts: false
  serial: 1
  tasks:
    - name: first
      command: echo one
    - name: long
      command: sleep ${marker}
    - name: never
      command: echo never
`,
      },
      { signal: controller.signal, provider },
    );
    const ended = Date.now();
    expect(ended - (await aborted), 'the run ends right after Ctrl-C').to.be.below(2000);
    expect(r.exitCode).to.equal(130);
    expect(r.events.at(-1)).to.include({ type: 'recap', interrupted: true });
    expect(r.results('long'), 'an interrupted task has no verdict').to.have.length(0);
    expect(r.results('never')).to.have.length(0);
    expect(r.events.filter((e) => e.type === 'play_start'), 'the second batch never starts').to.have.length(1);
    expect(r.stats).to.deep.equal({ a: { ok: 1, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } });
    expect(r.provider.connections.get('a')!.running.size).to.equal(0);
  });

  it('cuts the delay between until/retries attempts short', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const t0 = Date.now();
    const r = await runLocal(
      {
        'inventory.ini': '[all]\na\n',
        'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: poll
      command: /bin/false
      register: out
      until: out.rc == 0
      retries: 5
      delay: 30
`,
      },
      { signal: controller.signal },
    );
    expect(Date.now() - t0, 'not the 30 s retry delay').to.be.below(20_000);
    expect(r.exitCode).to.equal(130);
    expect(r.results('poll')).to.have.length(0);
  });
});
