/**
 * A module that drives the host itself (reboot) through the engine: its commands carry the task's
 * become, a reconnect replaces the host's connection for the rest of the run, and the host stays
 * reachable. Runs on this machine through the test connection, so the reboot command is /bin/true
 * and the "boot id" a fresh uuid on every read: nothing reboots.
 */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: reboot
      become: true
      reboot:
        reboot_command: /bin/true --reboot
        boot_time_command: cat /proc/sys/kernel/random/uuid
        test_command: echo tested
        connect_timeout: 3
    - name: after
      command: echo after
`;

describe('engine: a module driving the host (reboot)', () => {
  it('reconnects as the module asks, the next task runs on the new connection, the host stays reachable', async () => {
    const r = await runLocal({ 'inventory.ini': '[all]\na\n', 'playbook.yml': PLAYBOOK });
    const [reboot] = r.results('reboot');
    expect(reboot?.status, JSON.stringify(reboot?.result)).to.equal('changed');
    expect(reboot?.result).to.include({ rebooted: true, changed: true });
    expect(r.results('after')[0]?.status).to.equal('changed');
    // the first connection, one with connect_timeout for the boot id check, one with the usual timeout
    expect(r.provider.opened).to.have.length(3);
    const [first, checked, last] = r.provider.opened;
    expect(first!.closed && checked!.closed && !last!.closed).to.equal(true);
    expect(first!.commands.map((c) => [c.command, c.become])).to.deep.include.members([
      ['cat /proc/sys/kernel/random/uuid', true],
      ['/bin/true --reboot', true],
    ]);
    expect(last!.commands.map((c) => c.command)).to.deep.equal(['echo tested', 'echo after']);
    expect(r.stats.a).to.include({ unreachable: 0, failed: 0 });
  });
});
