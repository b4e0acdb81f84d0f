/**
 * kmod-vm: one QEMU guest (real Debian kernel, software emulation) where the role, with
 * falco_driver: kmod, ensures DKMS + headers, installs Debian's real falcosecurity-scap-dkms
 * (DKMS installs the `scap` module prebuilt in the image), and the stand-in Falco's kmod unit
 * loads it and comes up healthy. Not a sandbox host, so it brings its own create/destroy
 * (molecule-like-fixtures/vm/) and runner; see runKmodVmScenario.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVmHost, type VmHost } from '../vm/vm-host.js';
import { check, checkRecap, ScenarioContext } from './lib/context.js';
import { buildFalcoRepo, repoVars, type FalcoRepo } from '../../src/sandbox/falco-repo.js';
import type { Scenario, ScenarioTiming } from './lib/scenario.js';

export const KMOD_VM_VARS = { falco_driver: 'kmod', falco_kmod_module_name: 'scap' } as const;
/** A list, so passed as extra vars (INI values are strings). */
const KMOD_PACKAGES_EXTRA = ['-e', JSON.stringify({ falco_kmod_packages: ['falcosecurity-scap-dkms'] })];

export interface KmodVmTimings extends ScenarioTiming {
  imageMs: number;
  snapshotMs: number;
  resumeMs: number;
  convergeMs: number;
  idempotenceMs: number;
  verifyMs: number;
}

async function verifyKmodVm(ctx: ScenarioContext, timings: Partial<KmodVmTimings> = {}): Promise<void> {
  const [h] = ctx.hosts;
  ctx.log('converge');
  let t = Date.now();
  checkRecap(ctx.run(KMOD_PACKAGES_EXTRA), { hosts: [h], changed: 'some' });
  timings.convergeMs = Date.now() - t;
  ctx.log(`converged in ${(timings.convergeMs / 1000).toFixed(1)} s; idempotence`);
  t = Date.now();
  checkRecap(ctx.run(KMOD_PACKAGES_EXTRA), { hosts: [h], changed: 'none' });
  timings.idempotenceMs = Date.now() - t;
  ctx.log(`second run in ${(timings.idempotenceMs / 1000).toFixed(1)} s; verify`);
  t = Date.now();
  // One ssh round trip (each costs ~2 s against the emulated guest); checked here one by one.
  const g = probeGuest(ctx, h);
  const kernel = g.kernel.trim();
  check(/^scap\s/m.test(g.lsmod), `${h}: lsmod does not list scap:\n${g.lsmod}`);
  check(g.sys_module.trim() === 'present', `${h}: /sys/module/scap missing`);
  check(g.kmod_active.trim() === 'active', `${h}: falco-kmod.service is ${g.kmod_active.trim()}, not active`);
  check(g.modern_enabled.trim() === 'disabled', `${h}: falco-modern-bpf is ${g.modern_enabled.trim()}, not disabled`);
  check(/"status": ?"ok"/.test(g.healthz), `${h}: /healthz said ${g.healthz.trim()}`);
  check(/Opening 'syscall' source with Kernel module/.test(g.journal), `${h}: falco-kmod did not open the kernel module source:\n${g.journal.slice(-2000)}`);
  check(/^  kind: kmod$/m.test(g.falco_yaml), `${h}: falco.yaml engine.kind is not kmod`);
  const installed = new RegExp(`^scap/\\S+, ${kernel.replace(/[.+]/g, '\\$&')}, x86_64: installed`, 'm');
  check(installed.test(g.dkms), `${h}: dkms status lacks scap installed for ${kernel}:\n${g.dkms}`);
  check(g.package.trim() === 'install ok installed', `${h}: falcosecurity-scap-dkms is "${g.package.trim()}"`);
  // DKMS took the module prebuilt at image build (`dkms ldtarball`) instead of compiling it
  // here: a compile under emulation takes minutes.
  check(/^Loading tarball for scap-/m.test(g.apt_log), `${h}: the package's postinst did not load the prebuilt DKMS tarball`);
  check(!/Building initial module for/.test(g.apt_log), `${h}: DKMS compiled scap in the guest`);
  timings.verifyMs = Date.now() - t;
}

const PROBES = {
  kernel: 'uname -r',
  lsmod: 'lsmod',
  sys_module: 'test -d /sys/module/scap && echo present',
  kmod_active: 'systemctl is-active falco-kmod.service',
  modern_enabled: 'systemctl is-enabled falco-modern-bpf.service',
  healthz: 'curl -fsS http://127.0.0.1:8765/healthz',
  journal: 'journalctl -b -u falco-kmod.service --no-pager -o cat',
  falco_yaml: 'cat /etc/falco/falco.yaml',
  dkms: 'dkms status -m scap -k "$(uname -r)"',
  package: "dpkg-query -W -f='${Status}' falcosecurity-scap-dkms",
  apt_log: 'cat /var/log/apt/term.log',
} as const;

/** Each probe's stdout (stderr dropped, failures give what was printed), in one ssh call. */
function probeGuest(ctx: ScenarioContext, host: string): Record<keyof typeof PROBES, string> {
  const marker = '@@kmod-vm-probe@@';
  const script = Object.entries(PROBES)
    .map(([name, cmd]) => `echo ${marker}${name}; { ${cmd}; } 2>/dev/null`)
    .join('\n');
  const out = ctx.ssh(host, script).out;
  const sections = Object.fromEntries(
    out.split(marker).slice(1).map((part) => {
      const nl = part.indexOf('\n');
      return [part.slice(0, nl), part.slice(nl + 1)];
    }),
  );
  for (const name of Object.keys(PROBES)) check(name in sections, `${host}: probe ${name} printed nothing (ssh output:\n${out.slice(-1000)})`);
  return sections as Record<keyof typeof PROBES, string>;
}

/** create -> converge -> idempotence -> verify -> destroy, like runScenario, for the VM. */
export async function runKmodVmScenario(opts: { keep?: boolean; log?: (l: string) => void; repo?: FalcoRepo } = {}): Promise<KmodVmTimings> {
  const log = (l: string) => opts.log?.(`[kmod-vm] ${l}`);
  const work = mkdtempSync(join(tmpdir(), 'fd-scenario-kmod-vm-'));
  const timings: Partial<KmodVmTimings> = { name: 'kmod-vm', createMs: 0, testMs: 0, destroyMs: 0 };
  let host: VmHost | undefined;
  const t0 = Date.now();
  try {
    const repo = opts.repo ?? buildFalcoRepo(join(work, 'repo'));
    log('create: 1 QEMU guest');
    host = await createVmHost({
      dir: join(work, 'vm'),
      falcoRepoDir: repo.dir,
      inventoryVars: { ...repoVars(repo), ...KMOD_VM_VARS },
      log,
    });
    Object.assign(timings, { imageMs: host.timings.imageMs, snapshotMs: host.timings.snapshotMs, resumeMs: host.timings.resumeMs });
    timings.createMs = Date.now() - t0;
    const t1 = Date.now();
    await verifyKmodVm(new ScenarioContext(host.sandbox, repo, log), timings);
    timings.testMs = Date.now() - t1;
  } finally {
    const t2 = Date.now();
    if (opts.keep && host) {
      host.keep();
      log(`kept: ssh -F ${host.sandbox.sshConfig} kmodvm; qemu pid ${host.vm.pid}`);
    } else {
      log('destroy');
      await host?.destroy();
      rmSync(work, { recursive: true, force: true });
    }
    timings.destroyMs = Date.now() - t2;
    log(`create ${s(timings.createMs)} (image ${s(timings.imageMs)}, snapshot ${s(timings.snapshotMs)}, resume ${s(timings.resumeMs)}), converge ${s(timings.convergeMs)}, idempotence ${s(timings.idempotenceMs)}, verify ${s(timings.verifyMs)}, destroy ${s(timings.destroyMs)}`);
  }
  return timings as KmodVmTimings;
}

const s = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** Its host is a QEMU guest, not a sandbox host: runScenario hands it to runStandalone. */
export const kmodVmScenario: Scenario & { runStandalone: typeof runKmodVmScenario } = {
  name: 'kmod-vm',
  description: 'QEMU guest with a real Debian kernel: falco_driver kmod, Debian falcosecurity-scap-dkms loads scap, falco-kmod healthy',
  kind: 'systemd',
  hosts: 1,
  repoAccess: true,
  vars: () => ({ ...KMOD_VM_VARS }),
  test: () => {
    throw new Error('kmod-vm runs through runStandalone (a QEMU guest, not a sandbox host)');
  },
  runStandalone: runKmodVmScenario,
};
