import type { ExecResult } from '../connectors/types.js';
import type { ModuleContext, ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import type { ProbedFacts } from '../facts/request.js';
import { pathExists } from '../facts/path-exists.js';
import { FILE_ATTR_SPEC, type FileAttrArgs } from './files/attrs.js';
import { isSymbolicMode, normalizeMode } from './files/mode.js';
import { streamedSource } from './files/local-file.js';
import { sha1 } from './files/atomic-write.js';
import { parseUnarchive, unarchiveCommand } from './files/unarchive-script.js';
import { ArgumentError } from '../argspec/validate.js';
import { failOnArgError } from '../argspec/plan-failure.js';

type UnarchiveArgs = FileAttrArgs & {
  src: string;
  dest: string;
  remote_src: boolean;
  copy?: boolean;
  creates?: string;
  list_files: boolean;
  keep_newer: boolean;
  exclude: string[];
  include: string[];
  extra_opts: string[];
};

/** `copy: no` is the deprecated spelling of `remote_src: yes` (the action plugin's rule). */
function remoteSrc(a: UnarchiveArgs): boolean {
  if (a.copy === undefined) return a.remote_src;
  return !a.copy;
}

const creates = (a: UnarchiveArgs, ctx: ModuleContext) => (a.creates ? pathExists({ path: a.creates, become: ctx.become }) : undefined);

async function planUnarchive(a: UnarchiveArgs, facts: ProbedFacts, ctx: ModuleContext): Promise<Plan> {
  const c = creates(a, ctx);
  if (c && facts.get(c)) return { commands: [], changed: false, skippedReason: `skipped, since ${a.creates} exists` };
  // ansible-core: TgzArchive exits skipped in check mode; zip (which could) is not handled here
  if (ctx.check) return { commands: [], changed: false, skippedReason: 'remote module (unarchive) does not support check mode when using gtar' };
  if (remoteSrc(a) && a.src.includes('://')) throw new ArgumentError('unarchive: a URL src (remote_src with ://) is not supported by falco-deploy; download it with get_url first');
  const mode = a.mode === undefined ? undefined : isSymbolicMode(a.mode) ? String(a.mode) : normalizeMode(a.mode);
  const options = {
    dest: a.dest,
    extraOpts: a.extra_opts,
    excludes: a.exclude.map((e) => e.replace(/\/+$/, '')),
    include: a.include,
    keepNewer: a.keep_newer,
    mode,
    owner: a.owner !== undefined ? String(a.owner) : undefined,
    group: a.group !== undefined ? String(a.group) : undefined,
  };
  let command: PlannedCommand;
  if (remoteSrc(a)) {
    command = { command: unarchiveCommand({ ...options, src: a.src }) };
  } else {
    // the archive travels to the host as copy's content does: streamed when big, checked by sha1
    const streamed = await streamedSource(a.src, ctx);
    const data = streamed ? undefined : await ctx.readLocalFile(a.src);
    const digest = streamed?.sha1 ?? sha1(data!);
    command = { command: unarchiveCommand({ ...options, stdinSha1: digest }), ...(streamed ? { stdinFile: streamed.path } : { stdin: data }) };
  }
  return { commands: [{ ...command, describe: `unarchive ${a.src} -> ${a.dest}` }], changed: true, result: { dest: a.dest } };
}

function finishUnarchive(a: UnarchiveArgs, plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const r = results.at(-1);
  if (!r) return { ...(plan.result ?? {}), changed: plan.changed };
  const o = parseUnarchive(r.stdout);
  const out: Record<string, unknown> = { dest: a.dest, src: remoteSrc(a) ? a.src : o.src };
  if (o.handler) out.handler = o.handler;
  if (o.extracted) {
    const cmd = [o.tar, '--extract', '-C', a.dest, ...(o.zipflag ? [o.zipflag] : []), ...(a.extra_opts.length ? ['--show-transformed-names', ...a.extra_opts] : []),
      ...(a.owner !== undefined ? [`--owner=${String(a.owner)}`] : []), ...(a.group !== undefined ? [`--group=${String(a.group)}`] : []),
      ...(a.keep_newer ? ['--keep-newer-files'] : []), ...a.exclude.map((e) => `--exclude=${e.replace(/\/+$/, '')}`), '-f', out.src, ...a.include];
    out.extract_results = { cmd, err: o.extracted.err, out: o.extracted.out, rc: o.extracted.rc };
  }
  if (r.exitCode !== 0) {
    const msg = r.exitCode === 2 ? `failed to unpack ${String(out.src)} to ${a.dest}` : r.stderr.trim().split('\n').pop() || 'unarchive failed';
    return r.exitCode === 2 ? { ...out, changed: false, failed: true, msg } : { changed: false, failed: true, msg };
  }
  out.changed = o.extracted !== undefined || o.attrsChanged;
  if (a.list_files) out.files = o.files;
  return { ...out, ...o.info };
}

export const unarchive: ModuleDefinition<UnarchiveArgs> = {
  name: 'unarchive',
  spec: {
    args: {
      src: { type: 'path', required: true },
      dest: { type: 'path', required: true },
      remote_src: { type: 'bool', default: false },
      creates: { type: 'path' },
      list_files: { type: 'bool', default: false },
      keep_newer: { type: 'bool', default: false },
      exclude: { type: 'list', elements: 'str', default: [] },
      include: { type: 'list', elements: 'str', default: [] },
      extra_opts: { type: 'list', elements: 'str', default: [] },
      validate_certs: { type: 'bool', default: true },
      io_buffer_size: { type: 'int', default: 65536 },
      copy: { type: 'bool' },
      decrypt: { type: 'bool', default: true },
      ...FILE_ATTR_SPEC,
    },
    mutuallyExclusive: [['include', 'exclude']],
  },
  probes: (a, ctx) => {
    const c = creates(a, ctx);
    return c ? [c] : [];
  },
  plan: (a, facts, ctx) => failOnArgError(() => planUnarchive(a, facts, ctx)),
  finish: finishUnarchive,
};
