/**
 * Opening one ssh2 Client: auth (agent, key files with passphrase asked once per file, password),
 * host key policy, connect timeout with a few quick retries on transient failures, and an
 * optional `sock` (a channel forwarded through a bastion). Every failure here is an
 * UnreachableError naming the host and what to do.
 */
import ssh2, { type AuthHandlerMiddleware, type ConnectConfig, type ParsedKey } from 'ssh2';
import type { Duplex } from 'node:stream';
import { promises as fs } from 'node:fs';
import { InputError, InterruptedError, UnreachableError } from '../errors.js';
import { trackClose } from './close-client.js';
import { decideHostKey, defaultKnownHostsFiles } from './host-key-check.js';
import { knownHostsName } from './known-hosts.js';
import type { KnownHostsStore } from './known-hosts-store.js';
import type { ConnectionTarget } from './types.js';
import { withReusedSigningKey } from './signing-key.js';

export interface ConnectContext {
  store: KnownHostsStore;
  homeDir: string;
  /** Asked at most once per encrypted key file per run. */
  askPassphrase?: (keyFile: string) => Promise<string>;
  /** Per-run cache of loaded keys (file -> key bytes + passphrase, or undefined when unusable). */
  keys: Map<string, Promise<LoadedKey | undefined>>;
  debug?: (msg: string) => void;
  /** Aborted on Ctrl-C: connects in flight give up at once (InterruptedError). */
  signal?: AbortSignal;
}

export interface LoadedKey {
  file: string;
  /** Parsed (and decrypted) once per run: bcrypt-protected keys cost ~1 s of CPU per parse. */
  key?: ParsedKey;
  /** Why an explicitly named key file could not be used (shown when auth fails). */
  problem?: string;
}

const RETRY_DELAYS_MS = [150, 400, 1000];
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** ssh2 host key algorithms we can use, ed25519 first (cheap to verify). */
const HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];
const KEX = ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'diffie-hellman-group14-sha256'];

/**
 * Dead-host detection follows -T/--timeout: a keepalive every T/3 and the connection is dropped
 * (the host reported UNREACHABLE) when 3 in a row go unanswered, i.e. within T of the link dying.
 */
export function keepaliveFor(timeoutMs: number): { keepaliveInterval: number; keepaliveCountMax: number } {
  return { keepaliveInterval: Math.max(1, Math.round(timeoutMs / 3)), keepaliveCountMax: 2 };
}

interface OpenedClient {
  client: ssh2.Client;
  connectMs: number;
}

/**
 * Connect with retries. `makeSock` is called per attempt (a fresh forwarded channel when going
 * through a bastion); without it ssh2 opens the TCP connection itself.
 */
export async function openClient(
  target: ConnectionTarget,
  ctx: ConnectContext,
  makeSock?: () => Promise<Duplex>,
): Promise<OpenedClient> {
  const started = Date.now();
  const deadline = started + target.connectTimeoutMs;
  const auth = await authMethods(target, ctx);
  const hostKeyAlgos = await preferredHostKeyAlgos(target, ctx);
  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - Date.now();
    if (ctx.signal?.aborted) throw new InterruptedError('interrupted while connecting', { host: target.name, phase: 'connect' });
    try {
      const sock = makeSock ? await makeSock() : undefined;
      const client = await attemptConnect(target, ctx, auth, hostKeyAlgos, Math.max(remaining, 1), sock);
      return { client, connectMs: Date.now() - started };
    } catch (err) {
      const e = err as ConnectFailure;
      if (ctx.signal?.aborted) throw new InterruptedError('interrupted while connecting', { host: target.name, phase: 'connect' });
      const delay = RETRY_DELAYS_MS[attempt];
      const transient = e.transient === true && delay !== undefined;
      if (!transient || Date.now() + delay >= deadline - 50) throw toUnreachable(target, e, attempt + 1);
      ctx.debug?.(`${target.name}: ${e.message}; retry ${attempt + 1} in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

interface ConnectFailure extends Error {
  transient?: boolean;
  hostKeyReason?: string;
  code?: string;
  level?: string;
}

function attemptConnect(
  target: ConnectionTarget,
  ctx: ConnectContext,
  auth: { steps: AuthStep[]; problems: string[] },
  hostKeyAlgos: string[],
  timeoutMs: number,
  sock?: Duplex,
): Promise<ssh2.Client> {
  return new Promise<ssh2.Client>((resolve, reject) => {
    const client = new ssh2.Client();
    let hostKeyReason: string | undefined;
    let settled = false;
    const steps = [...auth.steps];
    const tried: string[] = [];
    const authHandler: AuthHandlerMiddleware = (methodsLeft, _partial, next) => {
      for (;;) {
        const step = steps.shift();
        if (!step) return next(false as never);
        if (methodsLeft && !methodsLeft.includes(step.method)) continue;
        tried.push(step.label);
        return next(step.auth as never);
      }
    };
    const config: ConnectConfig = {
      host: target.hostname,
      port: target.port,
      username: target.user,
      readyTimeout: timeoutMs,
      ...keepaliveFor(target.connectTimeoutMs),
      algorithms: { kex: KEX as never, serverHostKey: hostKeyAlgos as never },
      authHandler,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        decideHostKey(target, key, ctx.store, ctx.homeDir).then(
          (d) => {
            if (!d.accept) hostKeyReason = d.reason;
            else if (d.recordedIn) ctx.debug?.(`${target.name}: recorded ${d.key.type} ${d.key.fingerprint} in ${d.recordedIn}`);
            verify(d.accept);
          },
          (err: Error) => {
            hostKeyReason = `cannot check host key: ${err.message}`;
            verify(false);
          },
        );
      },
    };
    if (sock) config.sock = sock as never;
    trackClose(client);
    const onAbort = () => client.destroy();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    client.once('close', () => ctx.signal?.removeEventListener('abort', onAbort));
    client.once('ready', () => {
      ctx.signal?.removeEventListener('abort', onAbort);
      settled = true;
      client.removeAllListeners('error');
      client.on('error', (e) => ctx.debug?.(`${target.name}: ${e.message}`));
      resolve(client);
    });
    client.on('error', (err: ConnectFailure) => {
      if (settled) return;
      settled = true;
      if (hostKeyReason) err.hostKeyReason = hostKeyReason;
      err.transient = isTransient(err);
      if (err.level === 'client-authentication' && !hostKeyReason) {
        const notes = auth.problems.length ? `; ${auth.problems.join('; ')}` : '';
        err.message = `authentication failed for ${target.user}@${target.hostname}:${target.port} (tried: ${tried.join(', ') || 'nothing: no agent, key or password available'}${notes})`;
      }
      client.destroy();
      reject(err);
    });
    client.on('close', () => {
      if (settled) return;
      settled = true;
      const err: ConnectFailure = new Error(hostKeyReason ?? 'connection closed during handshake');
      err.hostKeyReason = hostKeyReason;
      err.transient = !hostKeyReason;
      reject(err);
    });
    client.connect(config);
  });
}

function isTransient(err: ConnectFailure): boolean {
  if (err.hostKeyReason) return false;
  if (err.code && TRANSIENT.has(err.code)) return true;
  return /banner|ECONNRESET|Connection lost before handshake/i.test(err.message);
}

function toUnreachable(target: ConnectionTarget, err: ConnectFailure, attempts: number): UnreachableError {
  const where = `${target.user}@${target.hostname}:${target.port}`;
  const via = target.proxyJump?.length ? ` via ${target.proxyJump.map((j) => j.hostname).join(',')}` : '';
  let msg: string;
  if (err instanceof UnreachableError) return err;
  if (err.hostKeyReason) msg = err.hostKeyReason;
  else if (err.level === 'client-timeout') msg = `timed out after ${target.connectTimeoutMs / 1000}s connecting to ${where}${via} (no SSH handshake)`;
  else if (err.code === 'ECONNREFUSED') msg = `connection refused by ${where}${via}`;
  else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') msg = `cannot resolve host name ${target.hostname}`;
  else if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') msg = `no route to ${where}`;
  else if (err.level === 'client-authentication') msg = err.message;
  else msg = `cannot connect to ${where}${via}: ${err.message}`;
  if (attempts > 1 && !err.hostKeyReason) msg += ` (after ${attempts} attempts)`;
  return new UnreachableError(msg, { host: target.name, cause: err });
}

interface AuthStep {
  method: 'publickey' | 'password' | 'keyboard-interactive';
  label: string;
  auth: unknown;
}

async function authMethods(target: ConnectionTarget, ctx: ConnectContext): Promise<{ steps: AuthStep[]; problems: string[] }> {
  const steps: AuthStep[] = [];
  const problems: string[] = [];
  const username = target.user;
  if (target.agentSocket && !target.identitiesOnly) {
    steps.push({ method: 'publickey', label: 'agent', auth: { type: 'agent', username, agent: target.agentSocket } });
  }
  const explicit = target.privateKeyFiles.length > 0;
  const files = explicit
    ? target.privateKeyFiles
    : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => `${ctx.homeDir}/.ssh/${f}`);
  const keys = await Promise.all(files.map((f) => loadKey(f, ctx, target)));
  for (const key of keys) {
    if (!key?.key) {
      // Default key files that do not exist are not worth a word; named ones are.
      if (key?.problem && explicit) problems.push(key.problem);
      continue;
    }
    steps.push({
      method: 'publickey',
      label: `key ${key.file}`,
      auth: { type: 'publickey', username, key: key.key },
    });
  }
  if (target.password !== undefined) {
    const password = target.password;
    steps.push({ method: 'password', label: 'password', auth: { type: 'password', username, password } });
    steps.push({
      method: 'keyboard-interactive',
      label: 'keyboard-interactive',
      auth: {
        type: 'keyboard-interactive',
        username,
        prompt: (_n: string, _i: string, _l: string, prompts: unknown[], finish: (answers: string[]) => void) =>
          finish(prompts.map(() => password)),
      },
    });
  }
  return { steps, problems };
}

function loadKey(file: string, ctx: ConnectContext, target: ConnectionTarget): Promise<LoadedKey | undefined> {
  let p = ctx.keys.get(file);
  if (!p) {
    p = loadKeyNow(file, ctx, target);
    ctx.keys.set(file, p);
  }
  return p;
}

async function loadKeyNow(file: string, ctx: ConnectContext, target: ConnectionTarget): Promise<LoadedKey | undefined> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (err) {
    ctx.debug?.(`${target.name}: identity file ${file} not usable: ${(err as Error).message}`);
    return { file, problem: `key ${file} not readable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const parsed = ssh2.utils.parseKey(data);
  if (!(parsed instanceof Error)) return { file, key: firstKey(parsed) };
  if (!/passphrase|encrypted/i.test(parsed.message)) {
    ctx.debug?.(`${target.name}: identity file ${file} is not a private key ssh2 can read: ${parsed.message}`);
    return { file, problem: `key ${file} unusable (${parsed.message})` };
  }
  if (!ctx.askPassphrase) {
    throw new InputError(`key ${file} is encrypted and no passphrase prompt is available; load it into ssh-agent`, { host: target.name });
  }
  const passphrase = await ctx.askPassphrase(file);
  const again = ssh2.utils.parseKey(data, passphrase);
  if (again instanceof Error) throw new InputError(`wrong passphrase for key ${file}`, { host: target.name });
  return { file, key: firstKey(again) };
}

function firstKey(k: ParsedKey | ParsedKey[]): ParsedKey {
  return withReusedSigningKey(Array.isArray(k) ? k[0] : k);
}

/** Host key types already known for the host go first, so a known key is what we are shown. */
async function preferredHostKeyAlgos(target: ConnectionTarget, ctx: ConnectContext): Promise<string[]> {
  if (target.hostKeyPolicy === 'off') return HOST_KEY_ALGOS;
  const files = [
    ...(target.knownHostsFiles?.length ? target.knownHostsFiles : defaultKnownHostsFiles(ctx.homeDir)),
    ...(target.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts']),
  ];
  const known = await ctx.store.knownTypes(files, [knownHostsName(target.hostKeyAlias ?? target.hostname, target.port)]);
  if (!known.length) return HOST_KEY_ALGOS;
  const algosFor = (type: string) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]);
  const first = known.flatMap(algosFor).filter((a) => HOST_KEY_ALGOS.includes(a));
  return [...new Set([...first, ...HOST_KEY_ALGOS])];
}
