import { factIdentity, type FactRequest } from './request.js';
import { httpResponse, type HttpResponse } from './net.js';
import { parseKeyValueLines } from './key-value.js';
import { quote, raw, sh } from '../shell/quote.js';

/** One command's outcome, as Ansible's run_command returns it. */
export interface Captured {
  name: string;
  rc: number;
  stdout: string;
  stderr: string;
}

const MARK = '--falco-deploy-captured--';
const ERR = '--falco-deploy-captured-err--';

/** Shell function `capture NAME CMD...`: runs CMD, prints its rc, stdout and stderr framed for parseCaptured; returns its rc. */
export const CAPTURE_FUNCTION =
  `capture() { n=$1; shift; o=$(mktemp); e=$(mktemp); "$@" >"$o" 2>"$e"; rc=$?; ` +
  `printf '%s %s %s\\n' '${MARK}' "$n" "$rc"; cat "$o"; printf '\\n%s\\n' '${ERR}'; cat "$e"; printf '\\n'; rm -f -- "$o" "$e"; return $rc; }`;

/** Every `capture` block in the output, in order. */
export function parseCaptured(text: string): Captured[] {
  const out: Captured[] = [];
  const heads = [...text.matchAll(new RegExp(`^${MARK} (\\S+) (\\d+)\\n`, 'gm'))];
  heads.forEach((m, i) => {
    const end = i + 1 < heads.length ? heads[i + 1].index! : text.length;
    const body = text.slice(m.index! + m[0].length, end);
    const sep = body.lastIndexOf(`\n${ERR}\n`);
    if (sep < 0) throw new Error(`unexpected captured output for ${m[1]}: ${JSON.stringify(body.slice(0, 80))}`);
    out.push({ name: m[1], rc: Number(m[2]), stdout: body.slice(0, sep), stderr: body.slice(sep + ERR.length + 2).replace(/\n$/, '') });
  });
  return out;
}

/** apt_key.py parse_output_for_keys: key ids of unexpired pub/sub lines, `apt-key list` or `gpg --with-colons` format. */
export function keyIdsIn(output: string, shortFormat = false): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue;
    const code = line.split(/\s+/).filter(Boolean)[1];
    const parts = code?.split('/');
    if (parts?.length === 2) found.push(parts[1]);
    else {
      const fields = line.split(':');
      if (fields.length > 4) found.push(fields[4]);
    }
  }
  return shortFormat ? found.map((k) => k.slice(-8)) : found;
}

/** `apt-key [--keyring K] adv --list-public-keys --keyid-format=long`, as apt_key.py's all_keys runs it. */
export function aptKeyListCommand(aptKey: string, keyring: string | undefined): string[] {
  return [aptKey, ...(keyring !== undefined ? ['--keyring', keyring] : []), 'adv', '--list-public-keys', '--keyid-format=long'];
}

type AptKeyTools =
  | { missing: string; path: string }
  | { missing?: undefined; aptKey: string; gpg: string; locales: string[]; list: Captured };

/** Where apt-key and gpg are (Ansible requires both) and the keys the keyring holds now. */
export function aptKeyTools(keyring: string | null, become = false): FactRequest<AptKeyTools> {
  return {
    ...factIdentity('apt_key_tools', { keyring, become }),
    become: become || undefined,
    command: [
      'p=$PATH; PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin"',
      `for b in apt-key gpg; do command -v "$b" >/dev/null 2>&1 || { printf 'missing=%s\\npath=%s\\n' "$b" "$p"; exit 0; }; done`,
      'echo "apt_key=$(command -v apt-key)"; echo "gpg=$(command -v gpg)"',
      `echo "locales=$(locale -a 2>/dev/null | tr '\\n' ' ')"`,
      CAPTURE_FUNCTION,
      sh`capture list ${raw('"$(command -v apt-key)"')} ${keyring !== null ? ['--keyring', keyring] : []} adv --list-public-keys --keyid-format=long; :`,
    ].join('\n'),
    parse: (r) => {
      const kv = parseKeyValueLines(r.stdout.split(`\n${MARK}`)[0]);
      if (kv.missing) return { missing: kv.missing, path: kv.path ?? '' };
      const list = parseCaptured(r.stdout).find((c) => c.name === 'list');
      if (!kv.apt_key || !list) throw new Error(`unexpected apt-key probe output: ${JSON.stringify(r.stdout.slice(0, 120))}`);
      return { aptKey: kv.apt_key, gpg: kv.gpg, locales: (kv.locales ?? '').split(' ').filter(Boolean), list };
    },
  };
}

/** get_best_parsable_locale: the first of Ansible's preferences the host has, else C. */
export function bestParsableLocale(available: string[]): string {
  return ['C.utf8', 'C.UTF-8', 'en_US.utf8', 'en_US.UTF-8', 'C', 'POSIX'].find((l) => available.includes(l)) ?? 'C';
}

/** `gpg --with-colons SOURCE` with a throw-away GNUPGHOME (the probe leaves root's ~/.gnupg alone); reads stdin for `-`. */
function gpgColonsLines(source: string): string[] {
  return [
    CAPTURE_FUNCTION,
    'h=$(mktemp -d)',
    `capture gpg env GNUPGHOME="$h" LANG=C LC_ALL=C gpg --with-colons ${source}; rm -rf -- "$h"; :`,
  ];
}

/** apt_key.py get_key_id_from_file: gpg's listing of a key file on the host. */
export function gpgListingOfFile(file: string): FactRequest<Captured> {
  return {
    ...factIdentity('gpg_listing', { file }),
    command: gpgColonsLines(quote(file)).join('\n'),
    parse: (r) => onlyCapture(r.stdout),
  };
}

/** apt_key.py get_key_id_from_data: gpg's listing of inline key data. */
export function gpgListingOfData(data: string): FactRequest<Captured> {
  return {
    ...factIdentity('gpg_listing', { data }),
    command: [sh`d=${data}`, CAPTURE_FUNCTION, 'h=$(mktemp -d)', `printf '%s' "$d" | { capture gpg env GNUPGHOME="$h" LANG=C LC_ALL=C gpg --with-colons -; }; rm -rf -- "$h"; :`].join('\n'),
    parse: (r) => onlyCapture(r.stdout),
  };
}

function onlyCapture(stdout: string): Captured {
  const c = parseCaptured(stdout)[0];
  if (!c) throw new Error(`unexpected gpg probe output: ${JSON.stringify(stdout.slice(0, 120))}`);
  return withoutFreshHomeNotes(c);
}

/** gpg's notes about creating the throw-away GNUPGHOME: Ansible's gpg, run with root's existing ~/.gnupg, does not print them. */
function withoutFreshHomeNotes(c: Captured): Captured {
  return { ...c, stderr: c.stderr.split('\n').filter((l) => !/^gpg: (keybox '.*' created|.*: trustdb created|directory '.*' created)$/.test(l)).join('\n') };
}

/** A key downloaded on the host (get_url's curl probe): the bytes (base64) and gpg's listing of them. */
interface DownloadedKey {
  response: HttpResponse;
  base64: string;
  gpg?: Captured;
}

export function downloadedKey(url: string, validateCerts: boolean): FactRequest<DownloadedKey> {
  const fetch = httpResponse({
    url,
    method: 'GET',
    timeout: 10,
    validateCerts,
    followRedirects: true,
    bodyPipe: ['t=$(mktemp)', 'cat > "$t"', 'base64 -w0 < "$t"; echo', ...gpgColonsLines('"$t"'), 'rm -f -- "$t"'].join('\n'),
  });
  return {
    ...fetch,
    parse: (r) => {
      const response = fetch.parse(r);
      const nl = response.body.indexOf('\n');
      const gpg = parseCaptured(response.body)[0];
      return { response, base64: nl < 0 ? '' : response.body.slice(0, nl), gpg: gpg && withoutFreshHomeNotes(gpg) };
    },
  };
}
