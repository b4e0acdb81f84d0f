import { factIdentity, type FactRequest } from './request.js';
import { sh } from '../shell/quote.js';

interface DpkgPackage {
  version: string;
  /** dpkg status, e.g. "install ok installed", "deinstall ok config-files". */
  status: string;
  /** Fully installed (the last status word is "installed"). */
  installed: boolean;
}

/** Installed versions of the named packages; names dpkg knows nothing about are absent. */
export function dpkgPackages(names: string[]): FactRequest<Record<string, DpkgPackage>> {
  const format = '${Package}\\t${Status}\\t${Version}\\n';
  return {
    ...factIdentity('dpkg_packages', { names }),
    // exit 1 when some name is unknown: that is an answer, not an error
    command: sh`dpkg-query -W -f=${format} ${names} 2>/dev/null; :`,
    parse: (r) => {
      const out: Record<string, DpkgPackage> = {};
      for (const line of r.stdout.split('\n')) {
        const [name, status, version] = line.split('\t');
        if (!name || status === undefined) continue;
        out[name] = { version: version ?? '', status, installed: status.split(' ').pop() === 'installed' };
      }
      return out;
    },
  };
}

export interface AptPolicy {
  installed: string | null;
  candidate: string | null;
  /** Every version in the version table (installable or installed). */
  versions: string[];
}

/** `apt-cache policy`: installed and candidate versions; unknown names are absent. */
export function aptPolicy(names: string[]): FactRequest<Record<string, AptPolicy>> {
  return {
    ...factIdentity('apt_policy', { names }),
    command: sh`LC_ALL=C apt-cache policy ${names} 2>/dev/null; :`,
    parse: (r) => {
      const out: Record<string, AptPolicy> = {};
      let current: AptPolicy | undefined;
      const version = (v: string) => (v === '(none)' ? null : v);
      for (const line of r.stdout.split('\n')) {
        const head = /^(\S+):$/.exec(line);
        if (head) {
          current = { installed: null, candidate: null, versions: [] };
          out[head[1]] = current;
          continue;
        }
        const field = /^\s+(Installed|Candidate):\s+(\S+)/.exec(line);
        if (field && current) current[field[1] === 'Installed' ? 'installed' : 'candidate'] = version(field[2]);
        // version table rows: "     1.2-3 500" or " *** 1.2-3 100" (the installed one)
        const row = /^ (?:\*\*\*| {3}) (\S+) -?\d+$/.exec(line);
        if (row && current) current.versions.push(row[1]);
      }
      return out;
    },
  };
}

interface AptCacheTime {
  /** Host clock (epoch seconds) when probed: compared with mtime, so controller clock skew is irrelevant. */
  now: number;
  /** mtime of the update-success stamp, else of /var/lib/apt/lists (as Ansible); 0 when neither exists. */
  mtime: number;
}

export function aptCacheTime(): FactRequest<AptCacheTime> {
  return {
    ...factIdentity('apt_cache_time', {}),
    command:
      'if [ -e /var/lib/apt/periodic/update-success-stamp ]; then t=$(stat -c %Y /var/lib/apt/periodic/update-success-stamp); ' +
      'elif [ -e /var/lib/apt/lists ]; then t=$(stat -c %Y /var/lib/apt/lists); else t=0; fi; echo "$(date +%s) $t"',
    parse: (r) => {
      const [now, mtime] = r.stdout.trim().split(/\s+/).map((x) => parseInt(x, 10));
      if (!Number.isFinite(now) || !Number.isFinite(mtime)) throw new Error(`unexpected apt cache time output: ${JSON.stringify(r.stdout)}`);
      return { now, mtime };
    },
  };
}

interface DebFileStatus {
  exists: boolean;
  name?: string;
  version?: string;
  /** Installed version of that package, null when not installed. */
  installedVersion?: string | null;
}

/** A .deb on the host: its package name/version and what is installed of it. */
export function debFileStatus(path: string): FactRequest<DebFileStatus> {
  const format = '${Status}\\t${Version}\\n';
  return {
    ...factIdentity('deb_file_status', { path }),
    command:
      sh`f=${path}; if [ ! -f "$f" ]; then echo missing; exit 0; fi; p=$(dpkg-deb -f "$f" Package); v=$(dpkg-deb -f "$f" Version); ` +
      sh`printf 'deb\\t%s\\t%s\\n' "$p" "$v"; dpkg-query -W -f=${format} "$p" 2>/dev/null; :`,
    parse: (r) => {
      const lines = r.stdout.split('\n').filter((l) => l !== '');
      if (lines[0] === 'missing' || lines.length === 0) return { exists: false };
      const [, name, version] = lines[0].split('\t');
      const [status, installed] = (lines[1] ?? '').split('\t');
      return { exists: true, name, version, installedVersion: status?.endsWith(' installed') ? installed : null };
    },
  };
}

interface RpmPackage {
  name: string;
  /** epoch:version-release (epoch 0 when none). */
  evr: string;
  arch: string;
}

/** `rpm -q` per spec (name, name-version, name-version-release): the first installed match or null. */
export function rpmPackages(specs: string[]): FactRequest<Record<string, RpmPackage | null>> {
  const qf = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\n';
  return {
    ...factIdentity('rpm_packages', { specs }),
    command: sh`for p in ${specs}; do if out=$(rpm -q --qf ${qf} "$p" 2>/dev/null); then printf '%s\\t%s\\n' "$p" "$(echo "$out" | head -n 1)"; else printf '%s\\t-\\n' "$p"; fi; done`,
    parse: (r) => {
      const out: Record<string, RpmPackage | null> = {};
      for (const line of r.stdout.split('\n')) {
        const [spec, name, evr, arch] = line.split('\t');
        if (!spec || name === undefined) continue;
        out[spec] = name === '-' ? null : { name, evr: evr ?? '', arch: arch ?? '' };
      }
      return out;
    },
  };
}

/** `dnf check-update NAMES`: the names that have a newer version available (exit 100 = updates). */
export function dnfUpdates(names: string[], refresh: boolean): FactRequest<string[]> {
  return {
    ...factIdentity('dnf_updates', { names, refresh }),
    command: sh`dnf -q ${refresh ? ['--refresh'] : []} check-update ${names}; rc=$?; echo "rc=$rc"`,
    become: refresh || undefined,
    parse: (r) => {
      const lines = r.stdout.split('\n');
      const rc = /^rc=(\d+)$/m.exec(r.stdout)?.[1];
      if (rc !== '0' && rc !== '100') throw new Error(`dnf check-update failed (rc=${rc ?? '?'}): ${r.stderr.trim()}`);
      const out = new Set<string>();
      for (const line of lines) {
        const m = /^(\S+)\.([^.\s]+)\s+\S+\s+\S+$/.exec(line);
        if (m && names.includes(m[1])) out.add(m[1]);
      }
      return [...out].sort();
    },
  };
}
