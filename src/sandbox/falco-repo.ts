/**
 * The stand-in Falco repository for sandboxes: built by molecule-like-fixtures/apt-repo/build-repo.sh
 * (signed, both stand-in versions), bind-mounted read-only into every host, and the falco role's
 * repo variables pointed at it — the same repo + key + fingerprint path as the real site.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FalcoDeployError } from '../errors.js';
import type { BindMount } from './types.js';
import { cacheDir, PACKAGE_ROOT } from './paths.js';

const BUILD_REPO = join(PACKAGE_ROOT, 'molecule-like-fixtures', 'apt-repo', 'build-repo.sh');
const REPO_MOUNT_POINT = '/srv/falco-repo';

export interface FalcoRepo {
  dir: string;
  fingerprint: string;
  /** falco .deb by version. */
  falcoDebs: Record<string, string>;
  /** Dependencies the stand-in needs that bare hosts lack, install order. */
  dependencyDebs: string[];
}

/** Builds the signed stand-in repository (both Falco versions) into an empty `dir`. */
export function buildFalcoRepo(dir: string): FalcoRepo {
  try {
    execFileSync('bash', [BUILD_REPO, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new FalcoDeployError(`building the stand-in Falco repository failed: ${stderr || (err as Error).message}`, { phase: 'sandbox', cause: err });
  }
  return describeRepo(dir);
}

export const REAL_FALCO_FINGERPRINT = '478B2FBBC75F4237B731DA4365106822B35B1B1F';

/**
 * A local mirror of the real repository (download.falco.org/packages/deb: `dists/stable/...` and
 * the .deb files, with falcosecurity-packages.asc copied to its root), used instead of the stand-in
 * when FALCO_DEPLOY_MIRROR_DIR names it. FALCO_DEPLOY_MIRROR_FINGERPRINT defaults to Falco's key.
 */
export function mirrorRepo(env: NodeJS.ProcessEnv = process.env): FalcoRepo | undefined {
  const dir = env.FALCO_DEPLOY_MIRROR_DIR;
  if (!dir) return undefined;
  const falcoDebs: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      const m = /^falco[_-](\d+\.\d+\.\d+)[_-].*\.deb$/.exec(e.name);
      if (m) falcoDebs[m[1]] = p;
    }
  };
  walk(dir);
  return { dir, fingerprint: env.FALCO_DEPLOY_MIRROR_FINGERPRINT ?? REAL_FALCO_FINGERPRINT, falcoDebs, dependencyDebs: [] };
}

/** A fresh repo for sandbox `name` (in the cache, rebuilt on every up) and how to hand it to the hosts. */
export function prepareSandboxRepo(name: string): { repo: FalcoRepo; bind: BindMount; vars: Record<string, string> } {
  const dir = join(cacheDir(), 'falco-repo', name);
  rmSync(dir, { recursive: true, force: true });
  const repo = buildFalcoRepo(dir);
  return { repo, bind: { source: dir, target: REPO_MOUNT_POINT }, vars: repoVars(repo) };
}

function describeRepo(dir: string): FalcoRepo {
  const falcoDir = join(dir, 'pool/main/f/falco');
  const falcoDebs = Object.fromEntries(
    readdirSync(falcoDir).map((f) => [/^falco_([^_]+)_/.exec(f)![1], join(falcoDir, f)] as const),
  );
  const depsDir = join(dir, 'pool/main/deps');
  // libyaml before python3-yaml: dpkg -i needs dependencies first.
  const dependencyDebs = readdirSync(depsDir)
    .sort((a, b) => (a.startsWith('lib') ? -1 : b.startsWith('lib') ? 1 : a.localeCompare(b)))
    .map((f) => join(depsDir, f));
  return { dir, fingerprint: readFileSync(join(dir, 'repo-key.fingerprint'), 'utf8').trim(), falcoDebs, dependencyDebs };
}

/** The oldest and newest Falco the repository serves (numeric version order). */
export function falcoVersionRange(repo: FalcoRepo): { oldest: string; newest: string } {
  const parts = (v: string) => v.split('.').map(Number);
  const versions = Object.keys(repo.falcoDebs).sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  if (versions.length === 0) throw new FalcoDeployError(`no falco package in ${repo.dir}`, { phase: 'sandbox' });
  return { oldest: versions[0], newest: versions[versions.length - 1] };
}

/** Inventory vars that point the falco role at the repo bind-mounted at `mountPoint`. */
export function repoVars(repo: FalcoRepo, mountPoint = REPO_MOUNT_POINT): Record<string, string> {
  return {
    falco_repo_url: `file://${mountPoint}`,
    falco_repo_key_url: `file://${mountPoint}/falcosecurity-packages.asc`,
    falco_repo_key_fingerprint: repo.fingerprint,
  };
}
