import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, normalize, posix, relative, sep } from 'node:path';
import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import { fileStat } from '../facts/file-stat.js';
import { sh } from '../shell/quote.js';
import { hashLocalFile } from './files/local-file.js';

type FetchArgs = {
  src: string;
  dest: string;
  flat?: boolean;
  fail_on_missing?: boolean;
  validate_checksum?: boolean;
}

const probe = (a: FetchArgs, ctx: ModuleContext) => fileStat({ path: a.src, follow: true, checksum: 'sha1', become: ctx.become });

/** Ansible's path_dwim for a controller path that need not exist: ~ expanded, relative to the playbook. */
function controllerPath(p: string, baseDir: string): string {
  const home = p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
  return isAbsolute(home) ? home : join(baseDir, home);
}

/**
 * Ansible's layout: dest/<inventory_hostname>/<src path>; with flat, dest itself, or
 * dest/<basename of src> when dest ends in "/". Throws, with Ansible's message, when it cannot be used.
 */
async function fetchDestination(a: FetchArgs, host: string, baseDir: string): Promise<string> {
  if (a.flat) {
    const named = a.dest.endsWith('/') ? a.dest + posix.basename(a.src) : a.dest;
    const dest = normalize(controllerPath(named, baseDir));
    if (!a.dest.endsWith('/') && (await stat(dest).then((s) => s.isDirectory(), () => false))) {
      throw new Error('dest is an existing directory, use a trailing slash if you want to fetch src into that directory');
    }
    return dest;
  }
  const base = normalize(controllerPath(a.dest, baseDir));
  const dest = normalize(`${base}/${host}/${a.src}`);
  const inside = relative(base, dest);
  if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new Error(`Detected directory traversal, expected to be contained in '${base}' but got '${dest}'`);
  }
  return dest;
}

/** The controller temp file a download lands in before it is checked and renamed. */
const downloads = new WeakMap<Plan, { path: string; tmp: string; remote: string; validate: boolean }>();

/**
 * Read-only on the host. The file is streamed (`cat`) on a channel of its own into a temp file
 * next to dest, its sha1 checked against the probed one, then renamed: bounded memory, any size.
 */
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
    // As Ansible 2.14's fetch action.
    if (ctx.check) return { commands: [], changed: false, skippedReason: 'check mode not (yet) supported for this module' };
    const st = facts.get(probe(a, ctx));
    const skip = (msg: string): Plan => (a.fail_on_missing === false
      ? { commands: [], changed: false, result: { changed: false, msg, file: a.src } }
      : { commands: [], changed: false, failed: msg, result: { file: a.src } });
    if (!st.exists) return skip('the remote file does not exist, not transferring, ignored');
    if (st.type === 'directory') return skip('remote file is a directory, fetch cannot work on directories');
    if (st.checksum === undefined) return skip('file is not readable by the remote user (try become: true)');
    let dest: string;
    try {
      dest = await fetchDestination(a, ctx.host, ctx.playbookDir ?? process.cwd());
    } catch (e) {
      return { commands: [], changed: false, failed: (e as Error).message, result: { file: a.src } };
    }
    const local = await hashLocalFile(dest);
    if (local?.sha1 === st.checksum) {
      return { commands: [], changed: false, result: { changed: false, md5sum: local.md5, file: a.src, dest, checksum: local.sha1 } };
    }
    const tmp = `${dest}.falco-deploy-${randomBytes(6).toString('hex')}.tmp`;
    const plan: Plan = {
      commands: [{ command: sh`cat -- ${a.src}`, stdoutFile: tmp, describe: `fetch ${a.src} to ${dest}` }],
      changed: true,
      result: { changed: true, dest, file: a.src, remote_checksum: st.checksum },
    };
    downloads.set(plan, { path: dest, tmp, remote: st.checksum, validate: a.validate_checksum !== false });
    return plan;
  },
  async finish(_a, plan, results) {
    const out: Record<string, unknown> = { ...(plan.result ?? {}) };
    const dl = downloads.get(plan);
    if (!dl) return out;
    const r = results[0];
    if (!r || r.exitCode !== 0) {
      await rm(dl.tmp, { force: true });
      return { ...out, changed: false, failed: true, msg: `Failed to fetch the file: ${r?.stderr.trim() || `exit code ${r?.exitCode}`}` };
    }
    const got = await hashLocalFile(dl.tmp);
    if (dl.validate && got?.sha1 !== dl.remote) {
      await rm(dl.tmp, { force: true });
      return { ...out, changed: false, failed: true, msg: 'checksum mismatch', md5sum: got?.md5, checksum: got?.sha1, remote_md5sum: null };
    }
    await rename(dl.tmp, dl.path);
    return { ...out, changed: true, md5sum: got?.md5, checksum: got?.sha1, remote_md5sum: null };
  },
};
