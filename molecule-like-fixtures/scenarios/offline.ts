import { check, checkRecap } from './lib/context.js';
import type { Scenario } from './lib/scenario.js';
import { falcoVersionRange } from '../../src/sandbox/falco-repo.js';

/** Air-gapped hosts: no repository at all; packages are pushed from the controller. */
export const offlineScenario: Scenario = {
  name: 'offline',
  description: 'hosts without repository access get Falco from falco_offline_packages',
  kind: 'systemd',
  hosts: 1,
  repoAccess: false,
  async test(ctx) {
    const [h] = ctx.hosts;
    const latest = falcoVersionRange(ctx.repo).newest;
    check(ctx.ssh(h, 'test -e /srv/falco-repo/dists').code !== 0, `${h} can see the repository`);
    const packages = [...ctx.repo.dependencyDebs, ctx.repo.falcoDebs[latest]];
    const extra = ['-e', JSON.stringify({ falco_offline_packages: packages })];
    checkRecap(ctx.run(extra), { hosts: [h], changed: 'some' });
    check(ctx.sshOk(h, "dpkg-query -W -f='${Version}' falco") === latest, `${h}: falco ${latest} not installed`);
    check(ctx.ssh(h, 'ls /etc/apt/sources.list.d/falcosecurity.list').code !== 0, `${h}: a repository was configured`);
    check(JSON.parse(ctx.sshOk(h, 'curl -fsS http://127.0.0.1:8765/healthz')).status === 'ok', `${h}: not healthy`);
    checkRecap(ctx.run(extra), { hosts: [h], changed: 'none' });
  },
};
