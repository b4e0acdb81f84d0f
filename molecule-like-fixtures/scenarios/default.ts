import { check, checkRecap } from './lib/context.js';
import type { Scenario } from './lib/scenario.js';

/** 3 systemd hosts: converge, idempotence, then unit, /healthz, config and a real alert. */
export const defaultScenario: Scenario = {
  name: 'default',
  description: 'install Falco on 3 systemd hosts, second run changes nothing, healthy, alerts on /etc/shadow',
  kind: 'systemd',
  hosts: 3,
  repoAccess: true,
  vars: () => ({ falco_priority: 'notice' }),
  async test(ctx) {
    ctx.log('converge');
    checkRecap(ctx.run([]), { hosts: ctx.hosts, changed: 'some' });
    ctx.log('idempotence');
    checkRecap(ctx.run([]), { hosts: ctx.hosts, changed: 'none' });
    ctx.log('verify');
    for (const h of ctx.hosts) {
      check(ctx.sshOk(h, 'systemctl is-active falco-modern-bpf.service').trim() === 'active', `${h}: falco-modern-bpf not active`);
      check(ctx.ssh(h, 'systemctl is-enabled falco-kmod.service').out.trim() === 'disabled', `${h}: falco-kmod not disabled`);
      check(ctx.ssh(h, 'systemctl is-enabled falcoctl-artifact-follow.service').out.trim() === 'masked', `${h}: follower not masked`);
      const health = JSON.parse(ctx.sshOk(h, 'curl -fsS http://127.0.0.1:8765/healthz'));
      check(health.status === 'ok', `${h}: /healthz said ${JSON.stringify(health)}`);
      const config = ctx.sshOk(h, 'cat /etc/falco/falco.yaml');
      check(/^priority: notice$/m.test(config), `${h}: falco.yaml lacks priority: notice`);
      check(/^json_output: true$/m.test(config), `${h}: falco.yaml lacks json_output: true`);
      check(/^  kind: modern_ebpf$/m.test(config), `${h}: falco.yaml engine.kind is not modern_ebpf`);
      ctx.sshOk(h, 'cat /etc/shadow > /dev/null');
      const alert = await ctx.eventually(`an alert for /etc/shadow on ${h}`, () => {
        const lines = ctx.ssh(h, 'cat /var/log/falco/events.json 2>/dev/null').out.trim().split('\n').filter(Boolean);
        return lines.map((l) => JSON.parse(l)).find((a) => /shadow/.test(a.output ?? ''));
      });
      check(alert.rule && alert.priority && alert.hostname === h, `${h}: alert lacks Falco fields: ${JSON.stringify(alert)}`);
    }
  },
};
