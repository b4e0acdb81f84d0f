import type { ModuleDefinition } from './contract.js';
import { fileStat } from '../facts/file-stat.js';

type SlurpArgs = {
  src: string;
}

/** Largest file slurp returns (it travels through the probe output as base64). */
const SLURP_MAX_BYTES = 64 * 1024 * 1024;

function probe(a: SlurpArgs, become: boolean) {
  return fileStat({ path: a.src, follow: true, contentMaxBytes: SLURP_MAX_BYTES, become });
}

/** Read-only: the probe carries the content; no commands. */
export const slurp: ModuleDefinition<SlurpArgs> = {
  name: 'slurp',
  spec: { args: { src: { type: 'path', required: true, aliases: ['path'] } } },
  probes: (a, ctx) => [probe(a, ctx.become)],
  plan(a, facts, ctx) {
    const st = facts.get(probe(a, ctx.become));
    const fail = (msg: string) => ({ commands: [], changed: false, failed: msg });
    if (!st.exists) return fail(`file not found: ${a.src}`);
    if (st.type === 'directory') return fail(`source is a directory and must be a file: ${a.src}`);
    if (st.content_too_large) return fail(`file is larger than ${SLURP_MAX_BYTES} bytes: ${a.src}`);
    if (st.content === undefined) return fail(`file is not readable: ${a.src} (try become: true)`);
    return { commands: [], changed: false, result: { changed: false, content: st.content, encoding: 'base64', source: a.src } };
  },
  finish: (_a, plan) => ({ ...(plan.result ?? {}) }),
};
