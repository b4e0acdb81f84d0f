import { check, checkRecap } from './lib/context.js';
import type { Scenario } from './lib/scenario.js';
import { falcoVersionRange } from '../../src/sandbox/falco-repo.js';

const LOCAL_RULE = '- macro: deploy_test_marker\n  condition: (proc.name = upgrade-marker)\n';

/** Install A, then B: user config kept, env vars reach the package scripts through sudo. */
export const upgradeScenario: Scenario = {
  name: 'upgrade',
  description: 'install 0.43.0 then upgrade to 0.44.1: config preserved, FALCO_* env honoured',
  kind: 'systemd',
  hosts: 1,
  repoAccess: true,
  async test(ctx) {
    const [h] = ctx.hosts;
    const { oldest: a, newest: b } = falcoVersionRange(ctx.repo);
    const extra = (v: string) => ['-e', JSON.stringify({ falco_version: v, falco_local_rules: LOCAL_RULE, falco_priority: 'warning' })];
    ctx.log(`install ${a}`);
    checkRecap(ctx.run(extra(a)), { hosts: [h], changed: 'some' });
    check(ctx.sshOk(h, "dpkg-query -W -f='${Version}' falco") === a, `${h}: version is not ${a}`);
    const configBefore = ctx.sshOk(h, 'sha256sum /etc/falco/falco.yaml /etc/falco/falco_rules.local.yaml');
    ctx.log(`upgrade to ${b}`);
    checkRecap(ctx.run(extra(b)), { hosts: [h], changed: 'some' });
    check(ctx.sshOk(h, "dpkg-query -W -f='${Version}' falco") === b, `${h}: version is not ${b} after the upgrade`);
    check(ctx.sshOk(h, 'sha256sum /etc/falco/falco.yaml /etc/falco/falco_rules.local.yaml') === configBefore, `${h}: the upgrade changed the configuration`);
    check(ctx.sshOk(h, 'cat /etc/falco/falco_rules.local.yaml').includes('deploy_test_marker'), `${h}: local rules lost`);
    const log = ctx.sshOk(h, 'cat /var/lib/falco-standin/postinst.log').trim().split('\n').map((l) => JSON.parse(l));
    const upgradeRun = log.filter((e) => e.script === 'postinst' && e.package_version === b).pop();
    check(upgradeRun, `${h}: no postinst record for ${b}`);
    check(upgradeRun.env.FALCO_FRONTEND === 'noninteractive', `${h}: FALCO_FRONTEND not passed: ${JSON.stringify(upgradeRun.env)}`);
    check(upgradeRun.env.FALCO_DRIVER_CHOICE === 'modern_ebpf', `${h}: FALCO_DRIVER_CHOICE not passed: ${JSON.stringify(upgradeRun.env)}`);
    check(upgradeRun.env.FALCOCTL_ENABLED === 'no', `${h}: FALCOCTL_ENABLED not passed: ${JSON.stringify(upgradeRun.env)}`);
    check(ctx.sshOk(h, 'systemctl is-active falco-modern-bpf.service').trim() === 'active', `${h}: not active after the upgrade`);
    ctx.log('idempotence');
    checkRecap(ctx.run(extra(b)), { hosts: [h], changed: 'none' });
  },
};
