import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import type { ProbedFacts } from '../facts/request.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { aptKeyListCommand, aptKeyTools, bestParsableLocale, downloadedKey, gpgListingOfData, gpgListingOfFile, keyIdsIn, type Captured } from '../facts/apt-keys.js';
import { parseKeyId } from './system/key-script.js';
import { aptKeyCommand, finishAptKey, outputOf, type AptKeyAction } from './system/apt-key-script.js';

const aptKeySpec: ModuleSpec = {
  args: {
    id: { type: 'str' },
    url: { type: 'str' },
    data: { type: 'str' },
    file: { type: 'path' },
    keyring: { type: 'path' },
    validate_certs: { type: 'bool', default: true },
    keyserver: { type: 'str' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  },
  mutuallyExclusive: [['data', 'file', 'keyserver', 'url']],
};

type AptKeyArgs = {
  id?: string;
  url?: string;
  data?: string;
  file?: string;
  keyring?: string;
  validate_certs: boolean;
  keyserver?: string;
  state: 'absent' | 'present';
};

const ERROR_NO_ERROR = (what: string) => `apt-key did not return an error, but ${what} (check that the id is correct and *not* a subkey)`;

function probesFor(a: AptKeyArgs, ctx: ModuleContext) {
  const tools = aptKeyTools(a.keyring ?? null, ctx.become);
  const source = a.url !== undefined ? downloadedKey(a.url, a.validate_certs) : !a.id && a.file !== undefined ? gpgListingOfFile(a.file) : !a.id && a.data ? gpgListingOfData(a.data) : undefined;
  return { tools, source };
}

const fail = (msg: string, result: Record<string, unknown> = {}): Plan => ({ commands: [], changed: false, failed: msg, result: { ...result, msg } });

/** `gpg --with-colons` failed on the key material: Ansible's message with gpg's output. */
const extractFailure = (what: string, c: Captured) => fail(`Unable to extract key from '${what}'`, outputOf(c));

function planAptKey(a: AptKeyArgs, facts: ProbedFacts, ctx: ModuleContext): Plan {
  const p = probesFor(a, ctx);
  const tools = facts.get(p.tools);
  if (tools.missing !== undefined) {
    const paths = tools.path.split(':');
    for (const d of ['/sbin', '/usr/sbin', '/usr/local/sbin']) if (!paths.includes(d)) paths.push(d);
    return fail(`Failed to find required executable "${tools.missing}" in paths: ${paths.join(':')}`);
  }
  let keyId: string | null = a.id || null;
  let keyData: Buffer | undefined = a.data !== undefined ? Buffer.from(a.data) : undefined;
  const downloaded = a.url !== undefined ? facts.get(downloadedKey(a.url, a.validate_certs)) : undefined;
  const download = (): Buffer | Plan => {
    const r = downloaded!.response;
    if (r.status === 200) return Buffer.from(downloaded!.base64, 'base64');
    const why = r.status > 0 ? `HTTP Error ${r.status}: ${r.reason}` : `Request failed: <urlopen error ${r.curlError}>`;
    return fail(`Failed to download key at ${a.url}: ${why}`);
  };
  if (!keyId) {
    if (a.keyserver) return fail('Missing key_id, required with keyserver.');
    if (a.url !== undefined) {
      const got = download();
      if (!Buffer.isBuffer(got)) return got;
      keyData = got;
    }
    if (a.file !== undefined) {
      const c = facts.get(gpgListingOfFile(a.file));
      if (c.rc !== 0) return extractFailure(a.file, c);
      keyId = keyIdsIn(c.stdout)[0] ?? null;
    } else if (keyData?.length) {
      const c = a.url !== undefined ? downloaded!.gpg : facts.get(gpgListingOfData(a.data!));
      if (!c || c.rc !== 0) return extractFailure('inline data', c ?? { name: 'gpg', rc: 2, stdout: '', stderr: '' });
      keyId = keyIdsIn(c.stdout)[0] ?? null;
    }
  }
  const result: Record<string, unknown> = { changed: false, id: keyId };
  const parsed = parseKeyId(keyId);
  if (!parsed) return fail('Invalid key_id', result);
  Object.assign(result, { short_id: parsed.short, fp: parsed.fingerprint, key_id: parsed.keyId });
  const shortFormat = parsed.keyId.length === 8;
  const list = tools.list;
  const cmd = aptKeyListCommand(tools.aptKey, a.keyring).join(' ');
  if (list.rc !== 0) return fail('Unable to list public keys', { cmd, rc: list.rc, ...outputOf(list) });
  const keys = keyIdsIn(list.stdout, shortFormat);
  result.before = keys;
  const has = (ks: string[]) => (shortFormat ? ks.includes(parsed.short) : ks.includes(parsed.fingerprint));
  let action: AptKeyAction;
  if (a.state === 'present') {
    if (has(keys)) return { commands: [], changed: false, result };
    if (a.file !== undefined) action = { kind: 'add-file', file: a.file };
    else if (a.keyserver !== undefined) action = { kind: 'recv', keyserver: a.keyserver, keyId: parsed.keyId, locale: bestParsableLocale(tools.locales), proxy: httpProxy(ctx.environment ?? {}) };
    else if (keyData?.length) action = { kind: 'add-data', data: keyData };
    else if (a.url !== undefined) {
      // id given with url: Ansible downloads only now, when the key is missing and this is no check run
      const got = download();
      if (!Buffer.isBuffer(got)) return ctx.check ? { commands: [], changed: true, result: { ...result, changed: true } } : got;
      action = { kind: 'add-data', data: got };
    } else return fail('No key to add ... how did i get here?!?!', result);
  } else {
    if (!keys.includes(parsed.fingerprint)) return { commands: [], changed: false, result };
    action = { kind: 'del', shortId: parsed.short };
  }
  const { command, pending } = aptKeyCommand(tools.aptKey, a.keyring, action, shortFormat);
  return { commands: [command], changed: true, result: { ...result, changed: true, pending } };
}

/** add_http_proxy: the first proxy variable the module sees (here: the task's environment). */
function httpProxy(env: Record<string, string>): string | undefined {
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) if (env[name]) return env[name];
  return undefined;
}

export const aptKeyModule: ModuleDefinition<AptKeyArgs> = {
  name: 'apt_key',
  spec: aptKeySpec,
  probes: (a, ctx) => {
    const p = probesFor(a, ctx);
    return p.source ? [p.tools, p.source] : [p.tools];
  },
  plan: (a, facts, ctx) => failOnArgError(() => planAptKey(a, facts, ctx)),
  finish: (_a, plan, results) => finishAptKey(plan, results, ERROR_NO_ERROR),
};
