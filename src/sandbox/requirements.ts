/** Preflight: root and the controller tools, named by the Debian package that brings them. */
import { readFileSync } from 'node:fs';
import { FalcoDeployError } from '../errors.js';
import { DEBIAN_PACKAGES_FILE, findBinary } from './paths.js';

interface PackageList {
  groups: Record<string, Record<string, string[]>>;
  purposes: Record<string, string[]>;
}

export interface MissingTool {
  binary: string;
  debianPackage: string;
}

/** Binaries the sandbox needs, each with its Debian package (from debian-packages.json). */
function sandboxTools(): MissingTool[] {
  const list = JSON.parse(readFileSync(DEBIAN_PACKAGES_FILE, 'utf8')) as PackageList;
  return Object.entries(list.groups.sandbox ?? {}).flatMap(([debianPackage, binaries]) =>
    binaries.map((binary) => ({ binary, debianPackage })),
  );
}

export function missingTools(tools: readonly MissingTool[], exists: (binary: string) => boolean): MissingTool[] {
  return tools.filter((t) => !exists(t.binary));
}

export function describeMissing(missing: readonly MissingTool[]): string {
  const packages = [...new Set(missing.map((m) => m.debianPackage))];
  return (
    `missing tools: ${missing.map((m) => `${m.binary} (Debian package ${m.debianPackage})`).join(', ')}; ` +
    `install them with: apt-get install -y ${packages.join(' ')}  (or: node scripts/ensure-debian-tools.mjs test)`
  );
}

export function assertSandboxRequirements(): void {
  if (process.getuid?.() !== 0) {
    throw new FalcoDeployError('the sandbox needs root (network namespaces, mounts, containers); run it as root', {
      phase: 'sandbox',
    });
  }
  const missing = missingTools(sandboxTools(), (b) => findBinary(b) !== undefined);
  if (missing.length > 0) throw new FalcoDeployError(describeMissing(missing), { phase: 'sandbox' });
}
