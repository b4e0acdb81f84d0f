/**
 * The file_stat probe prints printable-ASCII link targets as they are (no base64 process) and
 * takes the size for its content limit from its own stat line (no second stat), and prints the
 * checksum without a command substitution: its parsed
 * results must equal what the commands it replaces print (`readlink`, `readlink -f` through a
 * command substitution, `stat -L -c %s`, `base64`, `sha1sum`) for awkward targets and sizes at the limit,
 * on this machine and on a lite sandbox host (as root and as the non-root deploy user).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStat, type FileStatArgs } from '../../../src/facts/file-stat.js';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';
import { quote } from '../../../src/shell/quote.js';
import { ssh } from '../sandbox/helpers.js';

const LIMIT = 8;
/** Link targets: plain, spaces and `=`, glob and dash, tab, newline inside and at the end, CR, UTF-8, a byte that is not UTF-8, dangling. */
const TARGETS = ['plain', 'my file=1.yaml', '*', '-x', 'a\tb', 'a\nb', 'end\n', 'cr\r', 'caf\u00e9', "$(printf '\\377')", 'missing/dir'];

/** Makes the files under $D (as the shell running it), printf-escaped so every byte is exact. */
function setup(dir: string): string {
  const lines = [`D=${quote(dir)}; rm -rf "$D"; mkdir -p "$D"`, `printf '%${LIMIT}s' '' > "$D/at-limit"`, `printf '%${LIMIT + 1}s' '' > "$D/over-limit"`, ': > "$D/empty"'];
  TARGETS.forEach((t, i) => {
    const target = t.startsWith('$(') ? `"${t}"` : `"$(printf '%s' ${quote(t)})"`;
    lines.push(`ln -s -- ${target} "$D/link-${i}"`);
  });
  lines.push('ln -s at-limit "$D/link-file"', 'chmod -R a+rX "$D"');
  return lines.join('\n');
}

function probes(dir: string): FileStatArgs[] {
  return [
    ...TARGETS.map((_, i) => ({ path: `${dir}/link-${i}` })),
    { path: `${dir}/link-file`, follow: true, contentMaxBytes: LIMIT, checksum: 'sha1' as const },
    { path: `${dir}/link-file`, contentMaxBytes: LIMIT },
    ...['at-limit', 'over-limit', 'empty'].map((f) => ({ path: `${dir}/${f}`, contentMaxBytes: LIMIT, checksum: 'sha1' as const })),
  ];
}

/** What the replaced commands print for one probe's path, as key=value lines with base64 values. */
function reference(a: FileStatArgs): string {
  return [
    `p=${quote(a.path)}`,
    'printf "t=%s\\n" "$(printf %s "$(readlink -- "$p")" | base64 -w0)"',
    'printf "s=%s\\n" "$(printf %s "$(readlink -f -- "$p")" | base64 -w0)"',
    'printf "size=%s\\n" "$(stat -L -c %s -- "$p" 2>/dev/null)"',
    'printf "content=%s\\n" "$(base64 -w0 < "$p" 2>/dev/null)"',
    '[ -f "$p" ] && s=$(sha1sum < "$p") && echo "sum=${s%% *}"',
  ].join('\n');
}

const SEP = '--- next ---';

function script(dir: string): string {
  return [setup(dir), ...probes(dir).map((a) => `echo ${quote(SEP)}\n( ${fileStat(a).command}\n)\necho ${quote(SEP)}\n( ${reference(a)}\n)`)].join('\n');
}

function check(dir: string, output: string): void {
  const parts = output.split(`${SEP}\n`).slice(1);
  const args = probes(dir);
  expect(parts, output).to.have.length(args.length * 2);
  args.forEach((a, i) => {
    const st = fileStat(a).parse({ stdout: parts[2 * i], stderr: '', exitCode: 0, durationMs: 0 });
    const ref = Object.fromEntries(parts[2 * i + 1].split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const what = `${a.path} ${JSON.stringify(a)}`;
    expect(st.exists, what).to.equal(true);
    if (st.islnk) {
      expect(st.lnk_target, what).to.equal(Buffer.from(ref.t, 'base64').toString('utf8'));
      expect(st.lnk_source, what).to.equal(Buffer.from(ref.s, 'base64').toString('utf8'));
    }
    if (a.checksum && st.type === 'file') expect(st.checksum, what).to.equal(ref.sum).and.match(/^[0-9a-f]{40}$/);
    if (a.contentMaxBytes && st.type === 'file') {
      if (Number(ref.size) <= LIMIT) expect({ content: st.content, tooLarge: st.content_too_large }, what).to.deep.equal({ content: ref.content, tooLarge: undefined });
      else expect({ content: st.content, tooLarge: st.content_too_large }, what).to.deep.equal({ content: undefined, tooLarge: true });
    }
  });
  const raw = (i: number) => parts[2 * i];
  expect(raw(0), 'a printable target goes without base64').to.include('lnk_target_raw=plain\n');
  expect(raw(TARGETS.indexOf('a\nb')), 'a target with a newline goes base64').to.include('lnk_target=');
}

describe('file_stat probe against the commands it replaces', function () {
  this.timeout(120_000);
  let sb: SandboxInfo | undefined;
  let dir: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-file-stat-probe-'));
    sb = await sandboxUp({ name: 'file-stat-probe', kind: 'lite', hosts: 1, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: sb.name, dir: sb.dir });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('on this machine (dash)', () => {
    const files = join(dir, 'files');
    const r = spawnSync('sh', ['-c', script(files)], { encoding: 'utf8', cwd: '/' });
    expect(r.status, r.stderr).to.equal(0);
    check(files, r.stdout);
  });

  it('on a lite sandbox host, as root and as the non-root deploy user', async () => {
    const files = '/tmp/fd-file-stat-probe';
    for (const command of [script(files), `su deploy -s /bin/sh -c ${quote(script(`${files}-deploy`))}`]) {
      const r = await ssh(sb!.sshConfig, sb!.hosts[0].name, command);
      expect(r.code, r.stderr).to.equal(0);
      check(command.startsWith('su ') ? `${files}-deploy` : files, r.stdout);
    }
  });
});
