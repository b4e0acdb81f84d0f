import { factIdentity, type FactRequest } from './request.js';
import { sh } from '../shell/quote.js';

interface FileContent {
  exists: boolean;
  content: string;
}

/** Whole text of a small config file (repo files); a missing file is `exists: false`. */
export function fileContent(path: string): FactRequest<FileContent> {
  return {
    ...factIdentity('system_file_content', { path }),
    command: sh`f=${path}; if [ -f "$f" ]; then echo present; cat -- "$f"; else echo absent; fi`,
    parse: (r) => {
      const nl = r.stdout.indexOf('\n');
      const head = nl < 0 ? r.stdout : r.stdout.slice(0, nl);
      if (head !== 'present' && head !== 'absent') throw new Error(`unexpected file probe output for ${path}: ${JSON.stringify(r.stdout.slice(0, 80))}`);
      return head === 'present' ? { exists: true, content: nl < 0 ? '' : r.stdout.slice(nl + 1) } : { exists: false, content: '' };
    },
  };
}

interface KeyringFingerprints {
  exists: boolean;
  /** gpg is not installed on the host (the key cannot be checked, nor installed). */
  gpgMissing?: boolean;
  /** Primary-key fingerprints, upper-case hex. */
  primary: string[];
  /** Primary and subkey fingerprints. */
  all: string[];
}

/** Parses `gpg --with-colons` output: `fpr` records, the one right after `pub` being the primary. */
function parseGpgColons(text: string): { primary: string[]; all: string[] } {
  const primary: string[] = [];
  const all: string[] = [];
  let afterPub = false;
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === 'pub') afterPub = true;
    else if (f[0] === 'sub') afterPub = false;
    else if (f[0] === 'fpr' && f[9]) {
      const fpr = f[9].toUpperCase();
      all.push(fpr);
      if (afterPub) primary.push(fpr);
      afterPub = false;
    }
  }
  return { primary, all };
}

/**
 * Fingerprints held by a keyring file (binary or armored). `gpg --show-keys` reads the file
 * without importing it; a throw-away GNUPGHOME keeps root's ~/.gnupg untouched.
 */
export function keyringFingerprints(path: string): FactRequest<KeyringFingerprints> {
  return {
    ...factIdentity('keyring_fingerprints', { path }),
    command: [
      sh`f=${path}`,
      'if [ ! -e "$f" ]; then echo absent; exit 0; fi',
      'if ! command -v gpg >/dev/null 2>&1; then echo nogpg; exit 0; fi',
      'h=$(mktemp -d); echo present; GNUPGHOME="$h" gpg --batch --no-tty --show-keys --with-colons --fixed-list-mode -- "$f" 2>/dev/null; rm -rf -- "$h"; :',
    ].join('\n'),
    parse: (r) => {
      const first = r.stdout.split('\n', 1)[0];
      if (first === 'absent') return { exists: false, primary: [], all: [] };
      if (first === 'nogpg') return { exists: true, gpgMissing: true, primary: [], all: [] };
      return { exists: true, ...parseGpgColons(r.stdout) };
    },
  };
}

interface RpmGpgKey {
  /** Short key id: the last 8 hex digits of the fingerprint, lower-case. */
  version: string;
  release: string;
}

/** Keys in the RPM database (`gpg-pubkey` pseudo-packages). */
export function rpmGpgKeys(): FactRequest<RpmGpgKey[]> {
  return {
    ...factIdentity('rpm_gpg_keys', {}),
    command: "rpm -q gpg-pubkey --qf '%{VERSION}\\t%{RELEASE}\\n' 2>/dev/null; :",
    parse: (r) =>
      r.stdout
        .split('\n')
        .map((l) => l.split('\t'))
        .filter((f) => f.length === 2 && /^[0-9a-f]+$/i.test(f[0]))
        .map(([version, release]) => ({ version: version.toLowerCase(), release })),
  };
}

/** Every one-line-style sources file apt reads: path -> content. */
export function aptSourcesLists(): FactRequest<Record<string, string>> {
  return {
    ...factIdentity('apt_sources_lists', {}),
    command: `for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -f "$f" ] || continue; printf '==> %s <==\\n' "$f"; cat -- "$f"; printf '\\n<== end ==>\\n'; done`,
    parse: (r) => {
      const out: Record<string, string> = {};
      const re = /^==> (.+) <==\n([\s\S]*?)\n<== end ==>$/gm;
      for (const m of r.stdout.matchAll(re)) out[m[1]] = m[2];
      return out;
    },
  };
}
