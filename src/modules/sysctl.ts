import type { ExecResult } from '../connectors/types.js';
import type { ModuleContext, ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import { SBIN_PATH, SYSCTL_ENV, sysctlValue } from '../facts/sysctl.js';
import { sh } from '../shell/quote.js';
import { pyStrip } from '../python/boolean.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { failPlan, textEditProbe } from './files/text-edit.js';
import { planManagedContent } from './files/managed-content.js';
import { finishFileChange } from './files/finish.js';
import { decideSysctl, sysctlValueOf, type SysctlParams } from './system/sysctl-edit.js';

type SysctlArgs = SysctlParams & { ignoreerrors: boolean; sysctl_file: string };

/** sysctl can exit 0 and still not set the value; the module fails on these messages too. */
const SILENT_FAILURE = '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$';

/** Runs sysctl with the module's environment; fails on SILENT_FAILURE as the module does, stdout and stderr kept apart. */
function sysctlCommand(argv: string[], describe: string): PlannedCommand {
  const script = [
    SBIN_PATH,
    'exec 3>&1',
    `err=$(${SYSCTL_ENV} sysctl "$@" 2>&1 >&3); rc=$?`,
    '[ -z "$err" ] || printf \'%s\\n\' "$err" >&2',
    '[ "$rc" -eq 0 ] || exit "$rc"',
    sh`printf '%s\\n' "$err" | grep -qE ${SILENT_FAILURE} && exit 1`,
    'exit 0',
  ].join('\n');
  return { command: sh`sh -c ${script} sh ${argv}`, describe };
}

const procProbe = (a: SysctlArgs, ctx: ModuleContext) => sysctlValue({ name: pyStrip(a.name), become: ctx.become });
const fileProbe = (a: SysctlArgs, ctx: ModuleContext) => textEditProbe({ path: a.sysctl_file }, ctx);

export const sysctl: ModuleDefinition<SysctlArgs> = {
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  spec: {
    args: {
      name: { type: 'str', required: true, aliases: ['key'] },
      value: { type: 'str', aliases: ['val'] },
      state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
      reload: { type: 'bool', default: true },
      sysctl_set: { type: 'bool', default: false },
      ignoreerrors: { type: 'bool', default: false },
      sysctl_file: { type: 'path', default: '/etc/sysctl.conf' },
    },
    requiredIf: [['state', 'present', ['value']]],
  },
  probes: (a, ctx) => [procProbe(a, ctx), fileProbe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError((): Plan => {
    if (a.name === '') return failPlan('name cannot be blank');
    if (a.state === 'present' && a.value === '') return failPlan('value cannot be blank');
    const proc = facts.get(procProbe(a, ctx));
    if (!proc.sysctl) return failPlan(`Failed to find required executable "sysctl" in paths: ${proc.path}`);
    const st = facts.get(fileProbe(a, ctx));
    const isFile = st.exists && st.type === 'file';
    if (isFile && st.content === undefined) return failPlan(`Failed to open ${a.sysctl_file}: not readable (try become: true)`);
    const text = isFile ? Buffer.from(st.content!, 'base64').toString('utf8') : undefined;
    const d = decideSysctl(a, text, proc.value);
    const name = pyStrip(a.name);
    const ignore = a.ignoreerrors ? ['-e'] : [];
    const commands: PlannedCommand[] = [];
    if (d.setProc) {
      const setting = `${name}=${sysctlValueOf(a.value)}`;
      commands.push(sysctlCommand([...ignore, '-w', setting], `sysctl -w ${setting}`));
    }
    if (d.writeFile !== undefined) {
      const write = planManagedContent({ dest: a.sysctl_file, content: Buffer.from(d.writeFile), attrs: {}, stat: st, ctx });
      if (write.failed) return failPlan(write.failed);
      commands.push(...write.commands);
    }
    if (d.reload) commands.push(sysctlCommand([...ignore, '-p', a.sysctl_file], `sysctl -p ${a.sysctl_file}`));
    return { commands, changed: d.changed, result: {} };
  }),
  finish: (a, plan, results) => finishSysctl(pyStrip(a.name), plan, results),
};

/** The module's result is only `changed`; a failed sysctl run is reported with sysctl's own output, as the module words it. */
function finishSysctl(name: string, plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const last = results.at(-1);
  if (!last || last.exitCode === 0) return { changed: plan.changed };
  const describe = plan.commands[results.length - 1].describe ?? '';
  const output = last.stdout + last.stderr;
  if (describe.startsWith('sysctl -w ')) return { changed: false, failed: true, msg: `setting ${name} failed: ${output}` };
  if (describe.startsWith('sysctl -p ')) return { changed: false, failed: true, msg: `Failed to reload sysctl: ${output}` };
  const out = finishFileChange(plan, results);
  return { changed: false, failed: true, msg: out.msg };
}
