import { check, checkRecap } from './lib/context.js';
import type { Scenario } from './lib/scenario.js';

/** --check --diff shows the change a variable would make and changes nothing. */
export const checkDiffScenario: Scenario = {
  name: 'check-diff',
  description: 'change falco_priority, run --check --diff: the diff is shown, the hosts are untouched',
  kind: 'systemd',
  hosts: 1,
  repoAccess: true,
  async test(ctx) {
    const [h] = ctx.hosts;
    checkRecap(ctx.run([]), { hosts: [h], changed: 'some' });
    const before = ctx.sshOk(h, 'sha256sum /etc/falco/falco.yaml; systemctl show -p ActiveEnterTimestamp falco-modern-bpf.service');
    const r = ctx.run(['--check', '--diff', '-e', 'falco_priority=error'], { json: false });
    check(r.exitCode === 0, `check run exited ${r.exitCode}: ${r.stderr}`);
    check(/^-priority: debug$/m.test(r.stdout) && /^\+priority: error$/m.test(r.stdout), `no priority diff in:\n${r.stdout}`);
    check(/changed: \[/.test(r.stdout), 'the check run reported no change');
    const after = ctx.sshOk(h, 'sha256sum /etc/falco/falco.yaml; systemctl show -p ActiveEnterTimestamp falco-modern-bpf.service');
    check(after === before, `--check changed the host:\n${before}\n${after}`);
  },
};
