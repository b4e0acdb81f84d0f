import type { ExecResult } from '../connectors/types.js';
import type { ModuleContext, ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import { FQDN_SCRIPT, hostnameState, parseFqdn, type HostnameState } from '../facts/hostname.js';
import { KeyLines } from '../facts/key-lines.js';
import { quoteArgv, sh } from '../shell/quote.js';
import { pyStrip } from '../python/boolean.js';
import { failOnArgError } from '../argspec/plan-failure.js';

type HostnameArgs = { name: string; use?: string | null };

/** `use` values and the strategy class ansible-core 2.14 maps each to (STRATS). */
const STRATS: Record<string, string> = {
  alpine: 'Alpine', debian: 'Systemd', freebsd: 'FreeBSD', generic: 'Base', macos: 'Darwin', macosx: 'Darwin', darwin: 'Darwin',
  openbsd: 'OpenBSD', openrc: 'OpenRC', redhat: 'RedHat', sles: 'SLES', solaris: 'Solaris', systemd: 'Systemd',
};

/** Distributions (get_distribution) whose Hostname subclass uses FileStrategy (/etc/hostname). */
const FILE_DISTRIBUTIONS = ['Debian', 'Kylin', 'Cumulus-linux', 'Kali', 'Parrot', 'Ubuntu', 'Linuxmint', 'Linaro', 'Devuan', 'Raspbian', 'Uos', 'Deepin', 'Neon', 'Void', 'Pop'];
/** The other Linux distributions with a Hostname subclass, and its strategy. */
const OTHER_DISTRIBUTIONS: Record<string, string> = {
  Sles: 'SLES', Redhat: 'RedHat', Centos: 'RedHat', Anolis: 'RedHat', Cloudlinuxserver: 'RedHat', Cloudlinux: 'RedHat', Alinux: 'RedHat',
  Scientific: 'RedHat', Oracle: 'RedHat', Virtuozzo: 'RedHat', Amazon: 'RedHat', Altlinux: 'RedHat', Eurolinux: 'RedHat', Gentoo: 'OpenRC', Alpine: 'Alpine',
};

/** get_distribution(): distro.id() (normalized as distro does) capitalized as Python does, with ansible's renames. */
function distribution(osId: string): string {
  const id = ({ ol: 'oracle', 'opensuse-leap': 'opensuse' } as Record<string, string>)[osId.toLowerCase()] ?? osId.toLowerCase().replace(/ /g, '_');
  const name = id.charAt(0).toUpperCase() + id.slice(1);
  return ({ Amzn: 'Amazon', Rhel: 'Redhat', '': 'OtherLinux' } as Record<string, string>)[name] ?? name;
}

type Strategy = { kind: 'file' } | { kind: 'systemd' } | { kind: 'unsupported'; msg: string };

const notImplemented = (what: string) =>
  ({ kind: 'unsupported', msg: `falco-deploy's hostname implements the systemd and /etc/hostname (Debian family) strategies, not ${what}` }) as const;

/** Hostname.__init__: `use`, else systemd as PID 1, else the distribution's class. */
function strategyFor(use: string | null | undefined, st: HostnameState): Strategy {
  if (use) return STRATS[use] === 'Systemd' ? { kind: 'systemd' } : notImplemented(`use: ${use}`);
  if (st.systemdManaged) return { kind: 'systemd' };
  const dist = distribution(st.osId);
  if (FILE_DISTRIBUTIONS.includes(dist)) return { kind: 'file' };
  if (dist in OTHER_DISTRIBUTIONS) return notImplemented(`${OTHER_DISTRIBUTIONS[dist]}Strategy (${dist} without systemd)`);
  return { kind: 'unsupported', msg: `hostname module cannot be used on platform Linux (${dist})` };
}

const commandFailed = (rc: number, out: string, err: string) => `Command failed rc=${rc}, out=${out}, err=${err}`;

/** The names the strategy reads: [current, permanent], or why it fails. */
function readNames(strategy: 'file' | 'systemd', st: HostnameState): [string, string] | { failed: string } {
  if (strategy === 'file') {
    const permanent = pyStrip(st.hostnameFile ?? '');
    return [permanent, permanent];
  }
  if (!st.hostnamectl) return { failed: `Failed to find required executable "hostnamectl" in paths: ${st.path}` };
  for (const r of [st.hostnamectl.transient, st.hostnamectl.static]) if (r.rc !== 0) return { failed: commandFailed(r.rc, r.out, r.err) };
  return [pyStrip(st.hostnamectl.transient.out), pyStrip(st.hostnamectl.static.out)];
}

const probe = (a: HostnameArgs, ctx: ModuleContext) => hostnameState({ use: a.use, become: ctx.become });

/** ansible.builtin.hostname (ansible-core 2.14) on Linux: systemd's hostnamectl, or /etc/hostname on Debian-family hosts without systemd. */
export const hostnameModule: ModuleDefinition<HostnameArgs> = {
  name: 'hostname',
  spec: {
    args: {
      name: { type: 'str', required: true },
      use: { type: 'str', choices: Object.keys(STRATS) },
    },
  },
  probes: (a, ctx) => [probe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError((): Plan => {
    const st = facts.get(probe(a, ctx));
    const strategy = strategyFor(a.use, st);
    if (strategy.kind === 'unsupported') return { commands: [], changed: false, failed: strategy.msg };
    const names = readNames(strategy.kind, st);
    if (!Array.isArray(names)) return { commands: [], changed: false, failed: names.failed };
    const [current, permanent] = names;
    const name = a.name;
    const commands: PlannedCommand[] = [];
    if (strategy.kind === 'systemd') {
      // permanent first, as the module does (NetworkManager)
      if (permanent !== name) commands.push({ command: quoteArgv(['hostnamectl', '--pretty', '--static', 'set-hostname', name]), describe: 'hostnamectl' });
      if (current !== name) commands.push({ command: quoteArgv(['hostnamectl', '--transient', 'set-hostname', name]), describe: 'hostnamectl' });
      if (commands.length && !ctx.check && name.length > 64) {
        return { commands: [], changed: false, failed: 'name cannot be longer than 64 characters on systemd servers, try a shorter name' };
      }
      // the facts' fqdn is looked up after the change: the kernel's name is the new one now
      if (current !== name && !ctx.check) commands.push({ command: sh`sh -c ${FQDN_SCRIPT}`, describe: 'getfqdn' });
    } else if (permanent !== name) {
      commands.push({ command: sh`printf '%s\\n' ${name} > /etc/hostname`, describe: 'write /etc/hostname' });
    }
    const changed = current !== name || permanent !== name;
    const before = name !== current ? current : permanent;
    const diff = { before: `hostname = ${before}\n`, after: `hostname = ${name}\n` };
    const result = withFqdn({ changed, name, ...(changed ? { diff } : {}) }, st.fqdn);
    return { commands, changed, result, diff: changed && ctx.diff ? [{ path: 'hostname', ...diff, beforeHeader: '', afterHeader: '' }] : undefined };
  }),
  finish: (_a, plan, results) => finishHostname(plan, results),
};

function finishHostname(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const last = results.at(-1);
  const describe = plan.commands[results.length - 1]?.describe;
  if (last && describe === 'getfqdn') return withFqdn(plan.result ?? {}, parseFqdn(new KeyLines(last.stdout)));
  if (!last || last.exitCode === 0) return plan.result ?? {};
  const msg = describe === 'hostnamectl' ? commandFailed(last.exitCode, last.stdout, last.stderr) : `failed to update hostname: ${last.stderr.trimEnd()}`;
  return { changed: false, failed: true, msg };
}

/** The facts the module returns: the new names, and fqdn/domain from the host's own lookup of its kernel name. */
function withFqdn(result: Record<string, unknown>, fqdn: string): Record<string, unknown> {
  const name = String(result.name);
  const facts = { ansible_hostname: name.split('.')[0], ansible_nodename: name, ansible_fqdn: fqdn, ansible_domain: fqdn.split('.').slice(1).join('.') };
  return { ...result, ansible_facts: facts };
}
