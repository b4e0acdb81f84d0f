import { factIdentity, type FactRequest } from '../facts/request.js';
import type { ModuleDefinition } from './contract.js';

/** Ansible's package_facts: installed packages as ansible_facts.packages, read in one probe. */
interface PackageEntry {
  name: string;
  version: string;
  release?: string;
  arch: string;
  source: 'apt' | 'rpm';
}

const PROBE = [
  'if command -v dpkg-query >/dev/null 2>&1; then',
  "  echo '#apt'; dpkg-query -W -f='${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\n' 2>/dev/null",
  'elif command -v rpm >/dev/null 2>&1; then',
  "  echo '#rpm'; rpm -qa --qf '%{NAME}\\t%{VERSION}\\t%{ARCH}\\t%{RELEASE}\\n' 2>/dev/null",
  "else echo '#none'; fi",
].join('\n');

export function parsePackageList(stdout: string): Record<string, PackageEntry[]> {
  const lines = stdout.split('\n');
  const source = lines[0]?.slice(1);
  const out: Record<string, PackageEntry[]> = {};
  for (const line of lines.slice(1)) {
    const [name, version, arch, fourth] = line.split('\t');
    if (!name || version === undefined) continue;
    let entry: PackageEntry;
    if (source === 'apt') {
      if (!fourth?.startsWith('ii')) continue; // only fully installed packages, as Ansible
      entry = { name, version, arch, source: 'apt' };
    } else {
      entry = { name, version, release: fourth, arch, source: 'rpm' };
    }
    (out[name] ??= []).push(entry);
  }
  return out;
}

const probe: FactRequest<Record<string, PackageEntry[]>> = {
  ...factIdentity('package_facts', {}),
  command: PROBE,
  parse: (r) => parsePackageList(r.stdout),
};

export const packageFactsModule: ModuleDefinition = {
  name: 'package_facts',
  spec: {
    args: {
      manager: { type: 'list', elements: 'str', default: ['auto'] },
      strategy: { type: 'str', default: 'first', choices: ['first', 'all'] },
    },
  },
  probes: () => [probe],
  plan: (_args, facts) => ({ commands: [], changed: false, result: { ansible_facts: { packages: facts.get(probe) } } }),
};
