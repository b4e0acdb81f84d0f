import { sh } from '../../shell/quote.js';
import { parseKeyValueLines } from '../../facts/key-value.js';
import { PATH_INFO_LINES, pathInfo, type PathInfo } from './path-info.js';

interface UnarchiveOptions {
  /** The archive on the host; undefined = it arrives on stdin (a controller src). */
  src?: string;
  /** sha1 of the stdin archive: a cut transfer is never unpacked. */
  stdinSha1?: string;
  dest: string;
  extraOpts: string[];
  excludes: string[];
  include: string[];
  keepNewer: boolean;
  mode?: string;
  owner?: string;
  group?: string;
}

/** ansible-core 2.14 TgzArchive, TarArchive, TarBzipArchive, TarXzArchive, TarZstdArchive, in pick_handler's order. */
const HANDLERS: [string, string][] = [['TgzArchive', '-z'], ['TarArchive', ''], ['TarBzipArchive', '-j'], ['TarXzArchive', '-J'], ['TarZstdArchive', '--use-compress-program=zstd']];

/** --diff lines that mean "not unarchived" (unarchive.py is_unarchived; owner/group/mode ones only when not set by the task). */
function diffFilter(o: UnarchiveOptions): string[] {
  const res = [': Mod time differs$', ': Warning: Cannot stat: No such file or directory$', ': Invalid owner', ': Invalid group'];
  if (o.mode === undefined) res.push(': Mode differs$');
  const asRoot = [...(o.owner === undefined ? [': Uid differs$'] : []), ...(o.group === undefined ? [': Gid differs$'] : [])];
  return [
    sh`re=${res.join('|')}`,
    asRoot.length ? sh`[ "$(id -u)" != 0 ] || re="$re"${`|${asRoot.join('|')}`}` : ':',
  ];
}

/**
 * One script ON THE HOST: the archive (from stdin or src), GNU tar's handler as Ansible picks it
 * (--list works and lists something), `tar --diff` to decide, `tar --extract` when it differs,
 * then the task's owner/group/mode on every listed entry. Prints key=value lines (text base64).
 */
export function unarchiveCommand(o: UnarchiveOptions): string {
  const opts = [...(o.extraOpts.length ? ['--show-transformed-names', ...o.extraOpts] : [])];
  const common = [...opts, ...(o.owner !== undefined ? [`--owner=${o.owner}`] : []), ...(o.group !== undefined ? [`--group=${o.group}`] : []),
    ...(o.keepNewer ? ['--keep-newer-files'] : []), ...o.excludes.map((e) => `--exclude=${e}`)];
  const listArgs = [...opts, ...o.excludes.map((e) => `--exclude=${e}`)];
  const b64 = (v: string) => `printf %s "${v}" | base64 -w0`;
  const lines = [
    sh`dest=${o.dest}`,
    `[ -d "$dest" ] || { echo "dest '$dest' must be an existing dir" >&2; exit 1; }`,
  ];
  if (o.src === undefined) {
    lines.push(
      'src=$(mktemp); trap \'rm -f -- "$src"\' EXIT; trap "exit 129" HUP INT TERM PIPE',
      'cat > "$src"',
      sh`s=$(sha1sum < "$src"); [ "\${s%% *}" = ${o.stdinSha1 ?? ''} ] || { echo "Source failed to transfer" >&2; exit 1; }`,
    );
  } else {
    lines.push(
      sh`src=${o.src}`,
      `[ -e "$src" ] || { echo "Source '$src' does not exist" >&2; exit 1; }`,
      `[ -r "$src" ] || { echo "Source '$src' not readable" >&2; exit 1; }`,
    );
  }
  lines.push(
    'echo "src=$src"',
    `[ -s "$src" ] || { echo "Invalid archive '$src', the file is 0 bytes" >&2; exit 1; }`,
    'tar=$(command -v gtar || command -v tar) || { echo "Unable to find required \'gtar\' or \'tar\' binary in the path" >&2; exit 1; }',
    '"$tar" --version 2>/dev/null | head -n 1 | grep -q GNU || { echo "Command \\"$tar\\" detected as tar type bsd. GNU tar required." >&2; exit 1; }',
    'export LANG=C LC_ALL=C LC_MESSAGES=C LANGUAGE=C; cd "$dest"',
    'h=',
    `for z in ${HANDLERS.map(([n, f]) => sh`${`${n}:${f}`}`).join(' ')}; do`,
    // "x" keeps the trailing empty names $(...) would drop (an entry --strip-components emptied)
  `  f=\${z#*:}; l=$("$tar" --list -C "$dest" $f ${sh`${listArgs}`} -f "$src" ${sh`${o.include}`} 2>/dev/null && echo x) && l=\${l%x} && [ -n "$l" ] && { h=\${z%%:*}; break; }`,
    'done',
    `[ -n "$h" ] || { echo "Failed to find handler for \\"$src\\". Make sure the required command to extract the file is installed." >&2; exit 1; }`,
    `echo "handler=$h"; echo "tar=$tar"; echo "zipflag=$f"; printf list=; ${b64('$l')}; echo`,
    ...diffFilter(o),
    `d=$("$tar" --diff -C "$dest" $f ${sh`${common}`} -f "$src" ${sh`${o.include}`} 2>&1)`,
    `if printf '%s\\n' "$d" | grep -v -e ': : Warning: Cannot stat: No such file or directory$' | grep -E -e "$re" >/dev/null; then`,
    `  out=$("$tar" --extract -C "$dest" $f ${sh`${common}`} -f "$src" ${sh`${o.include}`} 2>"$dest/.falco-deploy-unarchive.err"); rc=$?`,
    '  err=$(cat "$dest/.falco-deploy-unarchive.err"); rm -f "$dest/.falco-deploy-unarchive.err"',
    `  echo "extract_rc=$rc"; printf extract_out=; ${b64('$out')}; echo; printf extract_err=; ${b64('$err')}; echo`,
    '  [ "$rc" = 0 ] || exit 2',
    'fi',
  );
  const attrs: string[] = [];
  if (o.owner !== undefined) attrs.push(sh`[ "$(stat -c %U -- "$p")" = ${o.owner} ] || [ "$(stat -c %u -- "$p")" = ${o.owner} ] || { chown -h ${o.owner} -- "$p" && c=1; }`);
  if (o.group !== undefined) attrs.push(sh`[ "$(stat -c %G -- "$p")" = ${o.group} ] || [ "$(stat -c %g -- "$p")" = ${o.group} ] || { chgrp -h ${o.group} -- "$p" && c=1; }`);
  if (o.mode !== undefined) attrs.push(sh`[ -L "$p" ] || [ "$(stat -c %a -- "$p")" = ${o.mode.replace(/^0+(?=\d)/, '')} ] || { chmod ${o.mode} -- "$p" && c=1; }`);
  if (attrs.length) {
    lines.push(
      'c=0',
      `printf '%s\\n' "$l" | { while IFS= read -r p; do p=\${p#/}; [ -e "$p" ] || [ -L "$p" ] || continue; ${attrs.join('; ')}; done; `
        + `printf '%s\\n' "$l" | sed -n 's#^/*\\([^/]*\\)/.*#\\1#p' | sort -u | while IFS= read -r p; do ${attrs.join('; ')}; done; echo "attrs_changed=$c"; }`,
    );
  }
  lines.push(PATH_INFO_LINES);
  return sh`sh -c ${lines.join('\n')}`;
}

interface UnarchiveOutcome {
  src?: string;
  handler?: string;
  tar?: string;
  zipflag: string;
  files: string[];
  extracted?: { rc: number; out: string; err: string };
  attrsChanged: boolean;
  info: PathInfo;
}

const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

export function parseUnarchive(stdout: string): UnarchiveOutcome {
  const kv = parseKeyValueLines(stdout);
  const listed = b64(kv.list);
  const files = listed === '' ? [] : listed.replace(/\n$/, '').split('\n').map((f) => f.replace(/^\//, ''));
  return {
    src: kv.src,
    handler: kv.handler,
    tar: kv.tar,
    zipflag: kv.zipflag ?? '',
    files,
    extracted: kv.extract_rc !== undefined ? { rc: Number(kv.extract_rc), out: b64(kv.extract_out), err: b64(kv.extract_err) } : undefined,
    attrsChanged: kv.attrs_changed === '1',
    info: pathInfo(kv, 'directory'),
  };
}
