import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import { FILE_ATTR_SPEC } from './files/attrs.js';
import { destForSource, destStat, writePath } from './files/dest.js';
import { finishFileChange } from './files/finish.js';
import { planManagedContent, type ContentWriteArgs } from './files/managed-content.js';
import { failOnArgError } from '../argspec/plan-failure.js';

type TemplateArgs = ContentWriteArgs & {
  src: string;
  newline_sequence?: string;
}

export const template: ModuleDefinition<TemplateArgs> = {
  name: 'template',
  spec: {
    args: {
      src: { type: 'path', required: true },
      dest: { type: 'path', required: true },
      backup: { type: 'bool', default: false },
      force: { type: 'bool', default: true },
      validate: { type: 'str' },
      follow: { type: 'bool', default: false },
      newline_sequence: { type: 'str', default: '\n', choices: ['\n', '\r', '\r\n'] },
      ...FILE_ATTR_SPEC,
    },
  },
  probes: (a, ctx) => [destStat(destForSource(a.dest, a.src), ctx)],
  async plan(a, facts, ctx): Promise<Plan> {
    const dest = destForSource(a.dest, a.src);
    const st = facts.get(destStat(dest, ctx));
    if (st.exists && st.type === 'directory') {
      return { commands: [], changed: false, failed: `dest ${dest} is a directory: end dest with "/" to render into it, or name the file` };
    }
    const text = await renderedText(a, ctx);
    if (typeof text !== 'string') return { commands: [], changed: false, failed: text.failed };
    return failOnArgError(() => {
      const plan = planManagedContent({
        dest: writePath(dest, st, a.follow), content: Buffer.from(text, 'utf8'), stat: st, ctx,
        attrs: a, backup: a.backup, force: a.force, validate: a.validate,
      });
      plan.result = { ...plan.result, src: a.src };
      return plan;
    });
  },
  joinsBatch: true,
  finish: (_a, plan, results) => finishFileChange(plan, results),
  async writes(a, ctx) {
    const text = await renderedText(a, ctx);
    return typeof text === 'string' ? { dest: destForSource(a.dest, a.src), content: Buffer.from(text, 'utf8') } : text.failed;
  },
};

/** The rendered template with the asked newline sequence, or why it cannot be rendered. */
async function renderedText(a: TemplateArgs, ctx: ModuleContext): Promise<string | { failed: string }> {
  let text: string;
  try {
    text = await ctx.renderTemplate(a.src);
  } catch (e) {
    return { failed: `template ${a.src}: ${(e as Error).message}` };
  }
  const nl = a.newline_sequence ?? '\n';
  return nl === '\n' ? text : text.replace(/\r?\n/g, nl);
}
