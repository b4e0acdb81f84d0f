import { sh } from '../../shell/quote.js';
import { ArgumentError } from '../../argspec/validate.js';

/** "2005 3990 02D5 ..." / lower-case / 0x-prefixed -> 40 upper-case hex digits. */
export function normalizeFingerprint(raw: string): string {
  const fpr = raw.replace(/\s+/g, '').replace(/^0x/i, '').toUpperCase();
  if (!/^[0-9A-F]{40}$/.test(fpr)) throw new ArgumentError(`fingerprint must be 40 hex digits (spaces allowed), got: ${raw}`);
  return fpr;
}

const URL_OK = /^(https?|file):\/\//;

/**
 * Shell lines that fetch `source` into "$work/key" and stop (non-zero, clear stderr, nothing
 * installed) unless one of `fingerprints` is in it. A path without scheme is a file on the host.
 * Leaves the fingerprints found in "$got". Needs `work` (a private temp dir) and an EXIT trap
 * that removes it, both set by the caller.
 */
export function fetchAndVerifyLines(source: string, fingerprints: string[]): string[] {
  const lines: string[] = [];
  if (URL_OK.test(source)) {
    lines.push(
      sh`url=${source}`,
      'if command -v curl >/dev/null 2>&1; then curl -fsSL --proto =https,http,file -o "$work/key" -- "$url" || { echo "failed to download $url" >&2; exit 1; }',
      'elif command -v wget >/dev/null 2>&1; then wget -q -O "$work/key" -- "$url" || { echo "failed to download $url" >&2; exit 1; }',
      'else echo "neither curl nor wget is installed on the host: cannot fetch $url" >&2; exit 1; fi',
    );
  } else if (source.startsWith('/')) {
    lines.push(sh`cp -- ${source} "$work/key" || { echo ${`key file ${source} not found on the host`} >&2; exit 1; }`);
  } else {
    throw new ArgumentError(`key source must be an http(s):// or file:// URL or an absolute path on the host, got: ${source}`);
  }
  lines.push(
    'command -v gpg >/dev/null 2>&1 || { echo "gpg is not installed on the host: cannot verify the key fingerprint (install gnupg first)" >&2; exit 1; }',
    `got=$(GNUPGHOME="$work" gpg --batch --no-tty --show-keys --with-colons --fixed-list-mode "$work/key" 2>/dev/null | awk -F: '$1 == "fpr" { print toupper($10) }')`,
  );
  if (fingerprints.length) {
    const want = fingerprints.join(' ');
    lines.push(
      'ok=',
      sh`for w in ${fingerprints}; do if printf '%s\\n' "$got" | grep -qx -- "$w"; then ok=1; fi; done`,
      // `want` is validated hex, safe to place inside double quotes
      `[ -n "$ok" ] || { echo "fingerprint mismatch: expected ${want} got $(echo \${got:-no key})" >&2; exit 1; }`,
    );
  } else {
    lines.push('[ -n "$got" ] || { echo "no OpenPGP public key found in $work/key" >&2; exit 1; }');
  }
  return lines;
}

/** Script prologue: strict mode, private temp dir, cleanup on every exit. */
export function scriptPrologue(): string[] {
  return ['set -eu', 'work=$(mktemp -d)', 'tmp=', `trap 'rm -rf -- "$work"; [ -z "$tmp" ] || rm -f -- "$tmp"' EXIT`, `trap 'exit 129' HUP INT TERM PIPE`];
}

/**
 * Download, verify, dearmor (binary input passes through unchanged) into a temp file next to
 * `dest`, chmod 0644, rename: the keyring is either the old one or the verified new one.
 */
export function installKeyringScript(source: string, dest: string, fingerprints: string[]): string {
  return [
    ...scriptPrologue(),
    ...fetchAndVerifyLines(source, fingerprints),
    sh`dest=${dest}`,
    'dir=$(dirname -- "$dest")',
    '[ -d "$dir" ] || mkdir -p -m 0755 -- "$dir"',
    'tmp=$(mktemp "$dir/.falco-deploy-key.XXXXXXXX")',
    'GNUPGHOME="$work" gpg --batch --no-tty --yes --dearmor -o "$tmp" "$work/key"',
    'chmod 0644 "$tmp"',
    'mv -f -- "$tmp" "$dest"',
    'tmp=',
    'echo "installed $dest: $(echo $got)"',
  ].join('\n');
}

/**
 * apt_key.py parse_key_id: 8, 16 or more hex digits (optional 0x) -> the id `apt-key del` takes
 * (last 8), the one `--list-public-keys --keyid-format=long` shows (last 16) and the whole id.
 * Undefined where Ansible says "Invalid key_id" (its int(id, 16) check, or a bad length).
 */
export function parseKeyId(id: string | null): { short: string; fingerprint: string; keyId: string } | undefined {
  // Python's int(s, 16): surrounding whitespace, a sign, a 0x prefix and digit-separating underscores are allowed
  if (id === null || !/^\s*[+-]?(0x)?[0-9a-f](_?[0-9a-f])*\s*$/i.test(id)) return undefined;
  let keyId = id.toUpperCase();
  if (keyId.startsWith('0X')) keyId = keyId.slice(2);
  if (keyId.length !== 8 && keyId.length !== 16 && keyId.length <= 16) return undefined;
  return { short: keyId.slice(-8), fingerprint: keyId.length > 16 ? keyId.slice(-16) : keyId, keyId };
}
