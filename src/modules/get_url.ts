import { posix } from 'node:path';
import type { ExecResult } from '../connectors/types.js';
import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import type { ProbedFacts } from '../facts/request.js';
import { CHECKSUM_ALGORITHMS, fileStat, type ChecksumAlgorithm, type FileStat } from '../facts/file-stat.js';
import { httpResponse, type HttpRequest } from '../facts/net.js';
import { ArgumentError } from '../argspec/validate.js';
import { failOnArgError, noProbesOnArgError } from '../argspec/plan-failure.js';
import { FILE_ATTR_SPEC, attrChanges, attrCommand, hasChanges, type FileAttrArgs } from './files/attrs.js';
import { isSymbolicMode, normalizeMode } from './files/mode.js';
import { curlConfig, downloadCommand, parseDownload } from './files/download.js';

type GetUrlArgs = FileAttrArgs & {
  url: string;
  dest: string;
  backup: boolean;
  checksum: string;
  timeout: number;
  headers?: Record<string, unknown>;
  force: boolean;
  url_username?: string;
  url_password?: string;
  validate_certs: boolean;
  http_agent: string;
};

interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** A hex digest, or the URL of a checksum file. */
  value: string;
  isUrl: boolean;
}

/** get_url.py url_filename: the last path segment of the URL, index.html when empty. */
function urlFilename(url: string): string {
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || 'index.html';
}

function parseChecksum(a: GetUrlArgs): Checksum | undefined {
  if (!a.checksum) return undefined;
  const i = a.checksum.indexOf(':');
  if (i < 0) throw new GetUrlFailure('The checksum parameter has to be in format <algorithm>:<checksum>', baseResult(a, a.dest));
  const algorithm = a.checksum.slice(0, i) as ChecksumAlgorithm;
  if (!CHECKSUM_ALGORITHMS.includes(algorithm)) throw new ArgumentError(`Could not hash file '${a.dest}' with algorithm '${algorithm}'. Available algorithms: ${CHECKSUM_ALGORITHMS.join(', ')}`);
  const value = a.checksum.slice(i + 1);
  return { algorithm, value, isUrl: /^(https?|ftp|file):/.test(value) };
}

function checksumFileRequest(a: GetUrlArgs, url: string): HttpRequest {
  return { url, method: 'GET', headers: headersOf(a), timeout: a.timeout, validateCerts: a.validate_certs, followRedirects: true };
}

const baseResult = (a: GetUrlArgs, dest: string) => ({ checksum_dest: null, checksum_src: null, dest, elapsed: 0, url: a.url });

const headersOf = (a: GetUrlArgs) => Object.fromEntries(Object.entries(a.headers ?? {}).map(([k, v]) => [k, String(v)]));

/** parseChecksum, or undefined when it fails (plan reports that failure). */
function checksumOrNone(a: GetUrlArgs): Checksum | undefined {
  try {
    return parseChecksum(a);
  } catch (e) {
    if (e instanceof GetUrlFailure) return undefined;
    throw e;
  }
}

function stats(a: GetUrlArgs, ctx: ModuleContext) {
  const sum = checksumOrNone(a);
  const checksum = sum?.algorithm ?? 'sha1';
  return {
    dest: fileStat({ path: a.dest, follow: true, checksum, become: ctx.become }),
    inDir: fileStat({ path: posix.join(a.dest, urlFilename(a.url)), follow: true, checksum, become: ctx.become }),
    sumFile: sum?.isUrl ? httpResponse(checksumFileRequest(a, sum.value)) : undefined,
  };
}

/** The expected hex digest: given, or looked up for the URL's file name in a checksum file. */
function expectedDigest(a: GetUrlArgs, sum: Checksum, facts: ProbedFacts, ctx: ModuleContext): string {
  let digest = sum.value;
  if (sum.isUrl) {
    const r = facts.get(stats(a, ctx).sumFile!);
    if (r.status !== 200) throw new ArgumentError(`Request failed: ${sum.value} returned ${r.status}`);
    const filename = urlFilename(a.url);
    const lines = r.body.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
    const map: [string, string][] = [];
    if (lines.length === 1 && lines[0].split(/\s+/).filter(Boolean).length === 1) map.push([lines[0], filename]);
    else {
      for (const line of lines) {
        const sp = line.indexOf(' ');
        if (sp < 0) continue;
        let name = line.slice(sp + 1);
        if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1);
        map.push([line.slice(0, sp), name.replace(/^[./]+/, '')]);
      }
    }
    const found = map.find(([, f]) => f === filename);
    if (!found) throw new GetUrlFailure(`Unable to find a checksum for file '${filename}' in '${sum.value}'`);
    digest = found[0];
  }
  digest = digest.replace(/[^\p{L}\p{N}_]+/gu, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(digest)) throw new GetUrlFailure('The checksum format is invalid', baseResult(a, a.dest));
  return digest;
}

/** A fail_json before any download, with the keys Ansible's call passes. */
class GetUrlFailure extends Error {
  constructor(msg: string, readonly result: Record<string, unknown> = {}) {
    super(msg);
  }
}

function pathInfo(st: FileStat, mode?: string): Record<string, unknown> {
  return { gid: st.gid, group: st.group, mode: mode ?? st.mode, owner: st.owner, size: st.size, state: 'file', uid: st.uid };
}

function planGetUrl(a: GetUrlArgs, facts: ProbedFacts, ctx: ModuleContext): Plan {
  if (!/^(https?|ftp|file):\/\//.test(a.url)) throw new ArgumentError(`url must be http://, https://, ftp:// or file://, got: ${a.url}`);
  const s = stats(a, ctx);
  const destSt = facts.get(s.dest);
  const destIsDir = destSt.exists && destSt.type === 'directory';
  const dest = destIsDir ? posix.join(a.dest, urlFilename(a.url)) : a.dest;
  const st = destIsDir ? facts.get(s.inDir) : destSt;
  let sum: Checksum | undefined;
  try {
    sum = parseChecksum(a);
  } catch (e) {
    if (e instanceof GetUrlFailure) return { commands: [], changed: false, failed: e.message, result: e.result };
    throw e;
  }
  let digest: string | undefined;
  try {
    digest = sum ? expectedDigest(a, sum, facts, ctx) : undefined;
  } catch (e) {
    if (e instanceof GetUrlFailure) return { commands: [], changed: false, failed: e.message, result: e.result };
    throw e;
  }
  const base = baseResult(a, dest);
  if (!destIsDir && st.exists && !a.force && digest !== undefined && st.checksum === digest) {
    const change = attrChanges(a, st);
    const cmd = attrCommand(dest, change);
    const changed = hasChanges(change);
    return {
      commands: cmd ? [{ command: cmd }] : [],
      changed,
      result: { ...base, ...pathInfo(st, change.mode), changed, downloads: false, msg: changed ? 'file already exists but file attributes changed' : 'file already exists' },
    };
  }
  const mode = a.mode === undefined ? undefined : isSymbolicMode(a.mode) ? String(a.mode) : normalizeMode(a.mode);
  const options = {
    url: a.url,
    dest,
    ifModifiedSince: !destIsDir && st.exists && !a.force && digest === undefined,
    timeout: a.timeout,
    validateCerts: a.validate_certs,
    headers: headersOf(a),
    credentials: a.url_username !== undefined ? `${a.url_username}:${a.url_password ?? ''}` : undefined,
    userAgent: a.http_agent,
    checksum: digest !== undefined ? { algorithm: sum!.algorithm, digest } : undefined,
    mode,
    owner: a.owner !== undefined ? String(a.owner) : undefined,
    group: a.group !== undefined ? String(a.group) : undefined,
    backup: a.backup,
  };
  const attrsChange = st.exists && hasChanges(attrChanges(a, st));
  return {
    commands: [{ command: downloadCommand(options), stdin: curlConfig(options), describe: `get_url ${a.url}` }],
    // check mode: Ansible's HEAD request leaves an empty temp file, whose sha1 differs from any non-empty dest
    changed: true,
    result: { ...base, attrsChange, downloads: true },
  };
}

function finishGetUrl(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const { attrsChange, downloads, ...base } = plan.result ?? {};
  const r = results.at(-1);
  if (!downloads) return r && r.exitCode !== 0 ? { ...base, changed: false, failed: true, msg: r.stderr.trim() } : { ...base };
  if (!r) return { ...base, changed: plan.changed };
  const d = parseDownload(r.stdout);
  const out: Record<string, unknown> = { ...base };
  if (d.checksumSrc) out.checksum_src = d.checksumSrc;
  if (d.checksumDest) out.checksum_dest = d.checksumDest;
  const info = d.info;
  const msg = r.stderr.trim().split('\n').pop() || 'Request failed';
  // url_get's fail_json names only these keys
  if (r.exitCode === 2 || r.exitCode === 3) {
    const response = d.statusCode ? `HTTP Error ${d.statusCode}: ${d.reason ?? ''}`.trim() : msg;
    return { url: base.url, dest: base.dest, elapsed: 0, changed: false, failed: true, msg: r.exitCode === 3 ? 'Request failed' : msg, ...(r.exitCode === 3 ? { status_code: d.statusCode, response } : {}) };
  }
  if (r.exitCode !== 0) return { ...out, src: d.src, changed: false, failed: true, msg };
  if (d.notModified) return { url: base.url, dest: base.dest, changed: false, msg: 'HTTP Error 304: Not Modified', status_code: 304, elapsed: 0, ...info };
  out.src = d.src;
  const changed = d.written || Boolean(attrsChange);
  if (d.backupFile) out.backup_file = d.backupFile;
  return {
    ...out,
    changed,
    md5sum: d.md5sum,
    msg: `OK (${d.contentLength ?? 'unknown'} bytes)`,
    status_code: d.statusCode,
    ...info,
  };
}

export const getUrl: ModuleDefinition<GetUrlArgs> = {
  name: 'get_url',
  spec: {
    args: {
      url: { type: 'str', required: true },
      dest: { type: 'path', required: true },
      backup: { type: 'bool', default: false },
      checksum: { type: 'str', default: '' },
      timeout: { type: 'int', default: 10 },
      headers: { type: 'dict' },
      tmp_dest: { type: 'path' },
      force: { type: 'bool', default: false },
      url_username: { type: 'str', aliases: ['username'] },
      url_password: { type: 'str', noLog: true, aliases: ['password'] },
      force_basic_auth: { type: 'bool', default: false },
      validate_certs: { type: 'bool', default: true },
      use_proxy: { type: 'bool', default: true },
      http_agent: { type: 'str', default: 'ansible-httpget' },
      ...FILE_ATTR_SPEC,
    },
  },
  probes: (a, ctx) => noProbesOnArgError(() => {
    const s = stats(a, ctx);
    return s.sumFile ? [s.dest, s.inDir, s.sumFile] : [s.dest, s.inDir];
  }),
  plan: (a, facts, ctx) => failOnArgError(() => planGetUrl(a, facts, ctx)),
  finish: (_a, plan, results) => finishGetUrl(plan, results),
};
