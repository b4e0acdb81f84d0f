import { readFile } from 'node:fs/promises';
import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import { FILE_ATTR_SPEC } from './files/attrs.js';
import { destForSource, destStat, writePath } from './files/dest.js';
import { finishFileChange } from './files/finish.js';
import { streamedSource, type StreamedFile } from './files/local-file.js';
import { planManagedContent, type ContentWriteArgs } from './files/managed-content.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { pyStr } from '../python/repr.js';
import { pyJson } from '../template/serialize.js';
import { VaultError } from '../yaml/vault.js';

type CopyArgs = ContentWriteArgs & {
  src?: string;
  content?: unknown;
  remote_src?: boolean;
  decrypt?: boolean;
}

/** As Ansible's copy action: a list or dict (a template rendered to one) is json.dumps'd, anything else str()'d. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content) || (content !== null && typeof content === 'object') ? pyJson(content, null, false) : pyStr(content);
}

/** The content to write (a big src file is streamed, not read), or why there is none. */
async function sourceContent(a: CopyArgs, ctx: ModuleContext): Promise<Buffer | StreamedFile | string> {
  if (a.content !== undefined) return Buffer.from(contentText(a.content));
  const src = a.src!;
  if (a.remote_src) return 'remote_src is not supported by falco-deploy copy; use command: cp, or fetch + copy';
  if (src.endsWith('/')) return `src ${src} is a directory: copying directories is not supported, copy each file`;
  try {
    const decrypt = a.decrypt !== false;
    return (await streamedSource(src, ctx, decrypt)) ?? (await ctx.readLocalFile(src, decrypt));
  } catch (e) {
    if (e instanceof VaultError) return e.message;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return `src ${src} is a directory: copying directories is not supported, copy each file`;
    return `Could not find or access '${src}' on the controller: ${(e as Error).message}`;
  }
}

export const copy: ModuleDefinition<CopyArgs> = {
  name: 'copy',
  spec: {
    args: {
      src: { type: 'path' },
      content: { type: 'raw' },
      dest: { type: 'path', required: true },
      backup: { type: 'bool', default: false },
      force: { type: 'bool', default: true, aliases: ['thirsty'] },
      validate: { type: 'str' },
      follow: { type: 'bool', default: false },
      remote_src: { type: 'bool', default: false },
      decrypt: { type: 'bool', default: true },
      ...FILE_ATTR_SPEC,
    },
    mutuallyExclusive: [['content', 'src']],
    requiredOneOf: [['content', 'src']],
  },
  probes: (a, ctx) => [destStat(destForSource(a.dest, a.src), ctx)],
  async plan(a, facts, ctx): Promise<Plan> {
    if (a.content !== undefined && a.dest.endsWith('/')) {
      return { commands: [], changed: false, failed: 'can not use content with a dir as dest' };
    }
    const dest = destForSource(a.dest, a.src);
    const st = facts.get(destStat(dest, ctx));
    if (st.exists && st.type === 'directory') {
      return { commands: [], changed: false, failed: `dest ${dest} is a directory: end dest with "/" to copy into it, or name the file` };
    }
    const content = await sourceContent(a, ctx);
    if (typeof content === 'string') return { commands: [], changed: false, failed: content };
    return failOnArgError(() => {
      const plan = planManagedContent({
        dest: writePath(dest, st, a.follow), content, stat: st, ctx,
        attrs: a, backup: a.backup, force: a.force, validate: a.validate,
      });
      if (a.src !== undefined) plan.result = { ...plan.result, src: a.src };
      return plan;
    });
  },
  joinsBatch: true,
  finish: (_a, plan, results) => finishFileChange(plan, results),
  async writes(a, ctx) {
    if (a.content !== undefined && a.dest.endsWith('/')) return 'can not use content with a dir as dest';
    const content = await sourceContent(a, ctx);
    if (typeof content === 'string') return content;
    return { dest: destForSource(a.dest, a.src), content: Buffer.isBuffer(content) ? content : await readFile(content.path) };
  },
};
