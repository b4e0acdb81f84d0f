import { check, checkRecap } from './lib/context.js';
import type { Scenario } from './lib/scenario.js';
import { falcoVersionRange } from '../../src/sandbox/falco-repo.js';

/**
 * Rolling upgrade with serial 1 whose new configuration fails validation: the first host is put
 * back on the old version and stays healthy, the rollout stops, the second host is untouched.
 */
export const rollbackScenario: Scenario = {
  name: 'rollback',
  description: 'a failing batch of a serial upgrade is rolled back and later batches never start',
  kind: 'systemd',
  hosts: 2,
  repoAccess: true,
  async test(ctx) {
    const [first, second] = ctx.hosts;
    const { oldest: a, newest: b } = falcoVersionRange(ctx.repo);
    ctx.log(`install ${a} everywhere`);
    checkRecap(ctx.run(['-e', `falco_version=${a}`]), { hosts: ctx.hosts, changed: 'some' });
    const secondBefore = ctx.sshOk(second, "dpkg-query -W -f='${Version}' falco; sha256sum /etc/falco/falco.yaml");
    ctx.log(`upgrade to ${b} one host at a time with a configuration falco --dry-run rejects`);
    const bad = { falco_version: b, falco_serial: 1, falco_config_overrides: { webserver: { listen_port: 99999 } } };
    const r = ctx.run(['-e', JSON.stringify(bad)]);
    check(r.exitCode === 2, `expected exit 2 (host failure), got ${r.exitCode}`);
    check(r.recap[first]?.failed === 1, `${first} should be the one failed host: ${JSON.stringify(r.recap)}`);
    check(!r.recap[second] || r.recap[second].changed === 0, `${second} was touched: ${JSON.stringify(r.recap[second])}`);
    check(
      r.events.some((e) => e.type === 'warning' && /later batches were not started/.test(e.message)),
      'no warning that the rollout stopped',
    );
    const failure = r.events.find((e) => e.type === 'host_result' && e.host === first && e.status === 'failed' && /Rolled back to/.test(e.msg ?? ''));
    check(failure, `no rollback message for ${first}`);
    check(ctx.sshOk(first, "dpkg-query -W -f='${Version}' falco") === a, `${first} is not back on ${a}`);
    check(ctx.sshOk(first, 'systemctl is-active falco-modern-bpf.service').trim() === 'active', `${first} not active after the rollback`);
    check(JSON.parse(ctx.sshOk(first, 'curl -fsS http://127.0.0.1:8765/healthz')).status === 'ok', `${first} unhealthy after the rollback`);
    check(!ctx.sshOk(first, 'cat /etc/falco/falco.yaml').includes('99999'), `${first} kept the rejected configuration`);
    check(ctx.sshOk(second, "dpkg-query -W -f='${Version}' falco; sha256sum /etc/falco/falco.yaml") === secondBefore, `${second} changed`);
  },
};
