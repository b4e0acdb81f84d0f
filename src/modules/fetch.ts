import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, posix } from 'node:path';
import type { ModuleContext, ModuleDefinition, Plan } from '../engine/module.js';
import { fileStat, type FileStat } from '../facts/file-stat.js';
import { sha1 } from './files/atomic-write.js';
import { factFor } from './files/dest.js';

export type FetchArgs = {
  src: string;
  dest: string;
  flat?: boolean;
  fail_on_missing?: boolean;
  validate_checksum?: boolean;
}

export const FETCH_MAX_BYTES = 64 * 1024 * 1024;

const probe = (a: FetchArgs, ctx: ModuleContext) =>
  fileStat({ path: a.src, follow: true, checksum: 'sha1', contentMaxBytes: FETCH_MAX_BYTES, become: ctx.become });

/** Ansible's layout: dest/<inventory_hostname>/<src path>, or dest itself (dest/ + basename) with flat. */
export function fetchDestination(a: FetchArgs, host: string, resolve: (p: string) => string): string {
  const base = resolve(a.dest);
  if (a.flat) return a.dest.endsWith('/') ? join(base, posix.basename(a.src)) : base;
  return normalize(join(base, host, a.src));
}

/** Bytes to write in finish, kept off the registered result. */
const pending = new WeakMap<Plan, { path: string; bytes: Buffer }>();

async function localSha1(path: string): Promise<string | undefined> {
  try {
    return sha1(await readFile(path));
  } catch {
    return undefined;
  }
}

/** Read-only on the host (the probe carries the file); the controller copy is written in finish. */
export const fetch: ModuleDefinition<FetchArgs> = {
  name: 'fetch',
  spec: {
    args: {
      src: { type: 'str', required: true },
      dest: { type: 'str', required: true },
      flat: { type: 'bool', default: false },
      fail_on_missing: { type: 'bool', default: true },
      validate_checksum: { type: 'bool', default: true },
    },
  },
  probes: (a, ctx) => [probe(a, ctx)],
  async plan(a, facts, ctx): Promise<Plan> {
    const st = factFor<FileStat>(facts, probe(a, ctx).key);
    const skip = (msg: string): Plan => (a.fail_on_missing === false
      ? { commands: [], changed: false, result: { changed: false, msg, file: a.src } }
      : { commands: [], changed: false, failed: msg, result: { file: a.src } });
    if (!st.exists) return skip('the remote file does not exist, not transferring, ignored');
    if (st.type === 'directory') return skip('remote file is a directory, fetch cannot work on directories');
    if (st.content_too_large) return skip(`remote file is larger than ${FETCH_MAX_BYTES} bytes`);
    if (st.content === undefined) return skip('file is not readable by the remote user (try become: true)');
    const bytes = Buffer.from(st.content, 'base64');
    const checksum = sha1(bytes);
    if (a.validate_checksum !== false && st.checksum && st.checksum !== checksum) {
      return { commands: [], changed: false, failed: `checksum mismatch: remote ${st.checksum}, received ${checksum}` };
    }
    const dest = fetchDestination(a, ctx.host, (p) => ctx.resolveLocalPath(p, 'files'));
    const changed = (await localSha1(dest)) !== checksum;
    const result = {
      changed, dest, file: a.src, checksum, remote_checksum: st.checksum ?? checksum,
      md5sum: createHash('md5').update(bytes).digest('hex'),
    };
    const plan: Plan = { commands: [], changed, result };
    if (changed) pending.set(plan, { path: dest, bytes });
    return plan;
  },
  async finish(_a, plan, _results, ctx) {
    const todo = pending.get(plan);
    if (todo && !ctx.check) {
      await mkdir(dirname(todo.path), { recursive: true });
      const tmp = `${todo.path}.falco-deploy-${process.pid}.tmp`;
      await writeFile(tmp, todo.bytes);
      await rename(tmp, todo.path);
    }
    return { ...(plan.result ?? {}) };
  },
};
