import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_REPO = resolve(fileURLToPath(new URL('../../apt-repo/build-repo.sh', import.meta.url)));

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
  execFileSync('bash', [BUILD_REPO, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return describeRepo(dir);
}

export function describeRepo(dir: string): FalcoRepo {
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

/** Inventory vars that point the falco role at the repo bind-mounted at `mountPoint`. */
export function repoVars(repo: FalcoRepo, mountPoint = '/srv/falco-repo'): Record<string, string> {
  return {
    falco_repo_url: `file://${mountPoint}`,
    falco_repo_key_url: `file://${mountPoint}/falcosecurity-packages.asc`,
    falco_repo_key_fingerprint: repo.fingerprint,
  };
}
