import { posix } from 'node:path';
import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import { authorizedKeysFile } from '../facts/authorized-keys.js';
import { atomicWriteCommand, sha1 } from './files/atomic-write.js';
import { failPlan } from './files/text-edit.js';
import { finishFileChange } from './files/finish.js';
import { authorizedKeysEdit, KeyFileError, type AuthorizedKeyParams } from './system/authorized-keys-edit.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { sh } from '../shell/quote.js';

type AuthorizedKeyArgs = AuthorizedKeyParams & {
  user: string;
  path?: string | null;
  manage_dir: boolean;
  validate_certs: boolean;
  follow: boolean;
};

const probe = (a: AuthorizedKeyArgs, ctx: ModuleContext) => authorizedKeysFile({ user: a.user, path: a.path, become: ctx.become });

/** keyfile(write=True): the ssh dir (manage_dir) and the file made, owned by the user, 0700/0600. */
function prepareScript(file: string, sshdir: string | undefined, uid: number, gid: number): string {
  const ids = `${uid}:${gid}`;
  const lines = ['set -e'];
  if (sshdir !== undefined) {
    lines.push(
      sh`d=${sshdir}; [ -e "$d" ] || err=$(mkdir -m 0700 -- "$d" 2>&1) || { echo "Failed to create directory $d : \${err#mkdir: }" >&2; exit 1; }`,
      sh`chown ${ids} "$d"; chmod 0700 "$d"`,
    );
  }
  lines.push(sh`f=${file}; [ -e "$f" ] || { mkdir -p -- "$(dirname -- "$f")"; : > "$f"; }`, sh`chown ${ids} "$f" 2>/dev/null || :; chmod 0600 "$f" 2>/dev/null || :`);
  return sh`sh -c ${lines.join('\n')}`;
}

export const authorizedKey: ModuleDefinition<AuthorizedKeyArgs> = {
  name: 'authorized_key',
  aliases: ['ansible.posix.authorized_key'],
  spec: {
    args: {
      user: { type: 'str', required: true },
      key: { type: 'str', required: true },
      path: { type: 'path' },
      manage_dir: { type: 'bool', default: true },
      state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
      key_options: { type: 'str' },
      exclusive: { type: 'bool', default: false },
      comment: { type: 'str' },
      validate_certs: { type: 'bool', default: true },
      follow: { type: 'bool', default: false },
    },
  },
  probes: (a, ctx) => [probe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError((): Plan => {
    if (a.key.startsWith('http')) return failPlan(`authorized_key: a key from a URL (${a.key}) is not supported by falco-deploy; fetch it on the controller (lookup('url', ...)) and pass the text`);
    const f = facts.get(probe(a, ctx));
    if (!f.user && !(ctx.check && a.path)) {
      if (ctx.check) return failPlan('Either user must exist or you must provide full path to key file in check mode');
      return failPlan(`Failed to lookup user ${a.user}: "getpwnam(): name not found: '${a.user}'"`);
    }
    const keyfile = f.file!;
    let content: string | undefined;
    try {
      content = authorizedKeysEdit(f.content, a);
    } catch (e) {
      if (e instanceof KeyFileError) return failPlan(e.message);
      throw e;
    }
    const params: Record<string, unknown> = {
      user: a.user, key: a.key, path: a.path ?? null, manage_dir: a.manage_dir, state: a.state, key_options: a.key_options ?? null,
      exclusive: a.exclusive, comment: a.comment ?? null, validate_certs: a.validate_certs, follow: a.follow, keyfile,
    };
    if (content === undefined) return { commands: [], changed: false, result: params };
    const target = a.follow ? f.realpath! : keyfile;
    const diff = { before_header: keyfile, after_header: target, before: f.content, after: content };
    if (ctx.diff) params.diff = diff;
    const plan: Plan = {
      commands: [],
      changed: true,
      result: params,
      diff: ctx.diff ? [{ path: target, before: f.content, after: content, beforeHeader: keyfile, afterHeader: target }] : undefined,
    };
    if (ctx.check || !f.user) return plan;
    const { uid, gid } = f.user;
    const sshdir = a.manage_dir ? (a.path ? posix.dirname(a.path) : posix.join(f.user.home, '.ssh')) : undefined;
    const bytes = Buffer.from(content, 'utf8');
    plan.commands.push(
      { command: prepareScript(target, sshdir, uid, gid), describe: `prepare ${target}` },
      {
        command: atomicWriteCommand({ dest: target, checksum: sha1(bytes), mode: '0600', keepIds: { uid, gid } }),
        stdin: bytes,
        describe: `write ${bytes.length} bytes to ${target} (temp file + rename)`,
      },
    );
    return plan;
  }),
  finish: (_a, plan, results) => {
    const out = finishFileChange(plan, results);
    if (out.failed) return { changed: false, failed: true, msg: out.msg };
    return out;
  },
};
