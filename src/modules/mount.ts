import type { ExecResult } from '../connectors/types.js';
import type { ModuleContext, ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import { mountState } from '../facts/mount-state.js';
import { atomicWriteCommand, backupFileFrom, sha1 } from './files/atomic-write.js';
import { failPlan } from './files/text-edit.js';
import { savedLines, setMount, unsetMount, type FstabEntry } from './system/fstab-edit.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { quote, sh } from '../shell/quote.js';

type MountArgs = {
  path: string;
  src?: string | null;
  fstype?: string | null;
  opts?: string | null;
  dump: string;
  passno: string;
  fstab?: string | null;
  boot: boolean;
  backup: boolean;
  state: 'absent' | 'absent_from_fstab' | 'mounted' | 'present' | 'unmounted' | 'remounted' | 'ephemeral';
};

const fstabOf = (a: MountArgs) => a.fstab ?? '/etc/fstab';
const probe = (a: MountArgs, ctx: ModuleContext) => mountState({ path: a.path, fstab: fstabOf(a), become: ctx.become });

/** The module's args: defaults, then the given values, then boot=false as `noauto` (its warnings too). */
function entryOf(a: MountArgs): { entry: FstabEntry; boot: string; warnings: string[] } {
  const entry: FstabEntry = { name: a.path, src: a.src ?? undefined, fstype: a.fstype ?? undefined, opts: a.opts ?? 'defaults', dump: a.dump, passno: a.passno };
  const warnings: string[] = [];
  let boot = 'yes';
  const opts = entry.opts.split(',');
  if (opts.includes('noauto')) warnings.push("Ignore the 'boot' due to 'opts' contains 'noauto'.");
  else if (!a.boot) {
    boot = 'no';
    if (opts.includes('defaults')) warnings.push("Ignore the 'boot' due to 'opts' contains 'defaults'.");
    else entry.opts = [...opts, 'noauto'].join(',');
  }
  return { entry, boot, warnings };
}

/** Runs one step of the script; on failure prints `<prefix><stdout+stderr>` to stderr and exits 1. */
const step = (prefix: string, cmd: string) => `out=$(${cmd} 2>&1) || { printf '%s%s\\n' ${quote(prefix)} "$out" >&2; ROLLBACK; exit 1; }`;

export const mount: ModuleDefinition<MountArgs> = {
  name: 'mount',
  aliases: ['ansible.posix.mount'],
  spec: {
    args: {
      boot: { type: 'bool', default: true },
      dump: { type: 'str', default: '0' },
      fstab: { type: 'str' },
      fstype: { type: 'str' },
      path: { type: 'path', required: true, aliases: ['name'] },
      opts: { type: 'str' },
      passno: { type: 'str', default: '0' },
      src: { type: 'path' },
      backup: { type: 'bool', default: false },
      state: { type: 'str', required: true, choices: ['absent', 'absent_from_fstab', 'mounted', 'present', 'unmounted', 'remounted', 'ephemeral'] },
    },
    requiredIf: [['state', 'mounted', ['src', 'fstype']], ['state', 'present', ['src', 'fstype']], ['state', 'ephemeral', ['src', 'fstype']]],
  },
  probes: (a, ctx) => [probe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError((): Plan => {
    if (a.state === 'ephemeral') return failPlan('mount: state=ephemeral is not supported by falco-deploy (yet)');
    const st = facts.get(probe(a, ctx));
    const { entry, boot, warnings } = entryOf(a);
    const fstab = fstabOf(a);
    const result: Record<string, unknown> = { name: a.path, opts: entry.opts, dump: entry.dump, passno: entry.passno, fstab, boot, backup_file: '' };
    if (a.src != null) result.src = a.src;
    if (a.fstype != null) result.fstype = a.fstype;
    const text = st.fstab ?? '';
    const commands: PlannedCommand[] = [];
    const writeFstab = (content: string) => {
      const bytes = Buffer.from(content);
      // written in place by the module: the file keeps its mode and owner (a new one: 0666 minus umask)
      commands.push({ command: atomicWriteCommand({ dest: fstab, checksum: sha1(bytes), backup: a.backup, keepIds: st.fstabIds, mode: st.fstabMode }), stdin: bytes, describe: `write ${fstab}` });
    };
    // an fstab that does not exist is created first (the module does it before anything else)
    if (st.fstab === null) commands.push({ command: sh`mkdir -p -- "$(dirname -- ${fstab})" && touch -- ${fstab}` });
    const mounted = (src?: string) => st.ismount || (a.path in st.mounts && (src === undefined || st.mounts[a.path].src === src));
    const T = fstab !== '/etc/fstab' ? ['-T', fstab] : [];
    const mountCmd = sh`mount ${T} ${a.path}`;
    let changed = false;
    let script: string | undefined;
    let stdin: string | undefined;

    if (a.state === 'present' || a.state === 'absent_from_fstab') {
      const next = a.state === 'present' ? setMount(text, entry) : unsetMount(text, entry);
      if (next !== undefined) {
        writeFstab(next);
        changed = true;
      }
    } else if (a.state === 'absent') {
      const next = unsetMount(text, entry);
      if (next !== undefined) {
        writeFstab(next);
        changed = true;
        const lines = ['ROLLBACK() { :; }'];
        if (mounted()) lines.push(step(`Error unmounting ${a.path}: `, sh`umount ${a.path}`));
        lines.push(sh`p=${a.path}; if [ -e "$p" ]; then err=$(rmdir -- "$p" 2>&1) || { printf 'Error rmdir %s: %s' "$p" "\${err#rmdir: }" >&2; exit 1; }; fi`);
        script = lines.join('\n');
      }
    } else if (a.state === 'unmounted') {
      if (mounted()) {
        changed = true;
        script = ['ROLLBACK() { :; }', step(`Error unmounting ${a.path}: `, sh`umount ${a.path}`)].join('\n');
      }
    } else if (a.state === 'remounted') {
      changed = true;
      script = ['ROLLBACK() { :; }', remountScript(a, entry, T, `Error remounting ${a.path}: `)].join('\n');
    } else {
      const next = setMount(text, entry);
      if (next !== undefined) writeFstab(next);
      stdin = savedLines(text);
      const lines = [
        // rollback of a failed mount: the old fstab back, the directories it made removed
        sh`p=${a.path}; t=${fstab}; made=''`,
        'ROLLBACK() { [ -z "$restore" ] || printf %s "$old" > "$t"; for d in $made; do rmdir -- "$d" 2>/dev/null; done; }',
        `old=$(cat; echo x); old=\${old%x}; restore=${next !== undefined ? 1 : ''}`,
        'if ! [ -e "$p" ]; then cur=; IFS=/; for d in ${p#/}; do cur="$cur/$d"; [ -e "$cur" ] || { mkdir -- "$cur" && made="$cur $made"; } || { printf "Error making dir %s" "$p" >&2; exit 1; }; done; unset IFS; fi',
      ];
      if (mounted(entry.src)) {
        if (next !== undefined) lines.push(remountScript(a, entry, T, `Error mounting ${a.path}: `));
      } else {
        lines.push(step(`Error mounting ${a.path}: `, mountCmd));
      }
      changed = next !== undefined || !mounted(entry.src);
      if (lines.length > 4) script = lines.join('\n');
    }
    if (script !== undefined) commands.push({ command: sh`sh -c ${script}`, stdin, describe: `${a.state} ${a.path}` });
    if (!changed) commands.length = 0;
    return { commands, changed, result, warnings: warnings.length ? warnings : undefined };
  }),
  finish: (_a, plan, results) => finishMount(plan, results),
};

/** remount(): `mount -o remount`, else umount + mount (not when remounted asked for options). */
function remountScript(a: MountArgs, entry: FstabEntry, T: string[], prefix: string): string {
  const withOpts = a.state === 'remounted' && entry.opts !== 'defaults';
  const remount = sh`mount -o ${withOpts ? `remount,${entry.opts}` : 'remount'} ${T} ${a.path}`;
  const optsFailure = 'Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a "state: unmounted" followed by a "state: mounted" using the full desired mount options instead.';
  const fallback = withOpts
    ? sh`{ printf '%s' ${optsFailure} >&2; exit 1; }`
    : `{ ${step(prefix, sh`umount ${a.path}`)}; ${step(prefix, sh`mount ${T} ${a.path}`)}; }`;
  return `${remount} >/dev/null 2>&1 || ${fallback}`;
}

function finishMount(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(plan.result ?? {}), changed: plan.changed };
  for (const r of results) {
    const backup = backupFileFrom(r.stdout);
    if (backup) out.backup_file = backup;
  }
  const bad = results.find((r) => r.exitCode !== 0);
  if (bad) return { changed: false, failed: true, msg: bad.stderr };
  return out;
}
