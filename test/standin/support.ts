/**
 * Shared fixture for the stand-in tests: builds the signed repository (both Falco versions)
 * once per test run into a temp dir and unpacks each package with `dpkg -x`, so the
 * stand-in's binaries can run locally. Everything the daemon binds is on 127.0.0.1.
 */
import { ensureRootfs } from '../../src/sandbox/rootfs.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../molecule-like-fixtures/', import.meta.url));
const BUILD_REPO = join(FIXTURES, 'apt-repo', 'build-repo.sh');
export const BUILD_DEBS = join(FIXTURES, 'falco-standin', 'build.sh');
export const OLD_VERSION = '0.43.0';
export const NEW_VERSION = '0.44.1';

/**
 * The sandbox root filesystem (built by `falco-deploy sandbox`) for the chroot/nspawn tests:
 * FALCO_DEPLOY_ROOTFS, else the newest /var/tmp/falco-deploy/rootfs-* that has apt and curl.
 */
/**
 * The sandbox rootfs the chroot/nspawn tests run in (FALCO_DEPLOY_ROOTFS, or the sandbox's own
 * cached one, built here on a fresh machine). Undefined only when not root.
 */
export async function sandboxRootfs(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  return process.env.FALCO_DEPLOY_ROOTFS ?? ensureRootfs(() => undefined);
}

interface StandinFixture {
  dir: string;
  repo: string;
  /** dpkg -x roots by version */
  roots: Record<string, string>;
  deb(version: string): string;
}

let shared: StandinFixture | undefined;

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    cwd: opts.cwd,
    input: opts.input,
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Build (once) the repository and unpack both versions. */
export function standinFixture(): StandinFixture {
  if (shared) return shared;
  const dir = mkdtempSync(join(tmpdir(), 'falco-standin-'));
  const repo = join(dir, 'repo');
  const built = run(BUILD_REPO, [repo, OLD_VERSION, NEW_VERSION]);
  if (built.status !== 0) throw new Error(`build-repo.sh failed (${built.status}):\n${built.stderr}`);
  const deb = (version: string) => join(repo, 'pool/main/f/falco', `falco_${version}_amd64.deb`);
  const roots: Record<string, string> = {};
  for (const version of [OLD_VERSION, NEW_VERSION]) {
    roots[version] = join(dir, `root-${version}`);
    const x = run('dpkg-deb', ['-x', deb(version), roots[version]]);
    if (x.status !== 0) throw new Error(`dpkg-deb -x failed: ${x.stderr}`);
  }
  shared = { dir, repo, roots, deb };
  return shared;
}

function cleanupStandinFixture(): void {
  if (shared) rmSync(shared.dir, { recursive: true, force: true });
  shared = undefined;
}

/** Environment that keeps the stand-in away from the controller's real /etc, /sys and syslog. */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    FALCO_STANDIN_DEFAULTS: '/nonexistent/falco-standin',
    FALCO_STANDIN_KMOD_NAME: '',
    FALCO_STANDIN_SYS_ROOT: '',
    FALCO_STANDIN_SHADOW_PATH: '',
    ...extra,
  };
}

export function falco(version: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
  const bin = join(standinFixture().roots[version], 'usr/bin/falco');
  return run(bin, args, { env: isolatedEnv(env), cwd });
}

export function falcoctl(version: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const bin = join(standinFixture().roots[version], 'usr/bin/falcoctl');
  return run(bin, args, { env: isolatedEnv(env) });
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface Daemon {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startDaemon(version: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
  const bin = join(standinFixture().roots[version], 'usr/bin/falco');
  const child = spawn(bin, args, { env: { ...process.env, ...isolatedEnv(env) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

export async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
  return { status: res.status, body: await res.text() };
}

export function readLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

// The shared fixture lives for the whole mocha run; remove it at the very end.
if (typeof after === 'function') after(() => cleanupStandinFixture());
