/**
 * The planned shell commands really work: modules are applied to a temp dir on THIS machine through
 * `sh -c` (what the engine sends over SSH), then re-probed — a converged plan must be empty.
 */
import { expect } from 'chai';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { fileStat } from '../../../src/facts/file-stat.js';
import { STREAM_MIN_BYTES } from '../../../src/modules/files/local-file.js';
import { sh } from '../../../src/shell/quote.js';
import { applyModule, localContext, runLocal } from './local-host.js';
import { findModule } from '../../../src/modules/registry.js';
import { validateArgs } from '../../../src/argspec/validate.js';

const modeOf = (p: string) => (statSync(p).mode & 0o7777).toString(8).padStart(4, '0');

async function converges(name: string, args: Record<string, unknown>, ctx = localContext()) {
  const first = await applyModule(name, args, ctx);
  expect(first.plan.failed, 'first run failed').to.equal(undefined);
  for (const r of first.results) expect(r.exitCode, `command failed: ${r.stderr}`).to.equal(0);
  const again = await applyModule(name, args, ctx);
  expect(again.plan.commands.map((c) => c.command), 'second run must plan nothing').to.deep.equal([]);
  expect(again.plan.changed).to.equal(false);
  return first;
}

describe('file modules applied locally through sh -c', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd files '));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const leftovers = () => readdirSync(dir).filter((f) => f.startsWith('.falco-deploy.'));

  it('copy writes content and mode, then is idempotent', async () => {
    const dest = join(dir, 'a.conf');
    const first = await converges('copy', { content: 'x: 1\n', dest, mode: '0640' });
    expect(first.plan.changed).to.equal(true);
    expect(readFileSync(dest, 'utf8')).to.equal('x: 1\n');
    expect(modeOf(dest)).to.equal('0640');
    expect(leftovers()).to.deep.equal([]);
  });

  it('copy of binary content is byte-exact', async () => {
    const dest = join(dir, 'bin');
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const ctx = localContext({}, {});
    ctx.readLocalFile = async () => bytes;
    await converges('copy', { src: 'bin', dest }, ctx);
    expect(readFileSync(dest).equals(bytes)).to.equal(true);
  });

  it('copy without mode gives a new file 0666 minus umask and keeps an existing file mode', async () => {
    const fresh = join(dir, 'fresh');
    await converges('copy', { content: 'a', dest: fresh });
    const umask = process.umask();
    expect(modeOf(fresh)).to.equal((0o666 & ~umask).toString(8).padStart(4, '0'));
    const old = join(dir, 'old');
    writeFileSync(old, 'before');
    chmodSync(old, 0o600);
    await converges('copy', { content: 'after', dest: old });
    expect(modeOf(old)).to.equal('0600');
  });

  it('copy with only a mode difference runs chmod, not a write', async () => {
    const dest = join(dir, 'm');
    writeFileSync(dest, 'same');
    chmodSync(dest, 0o644);
    const r = await converges('copy', { content: 'same', dest, mode: '0600', owner: 'nobody' });
    expect(r.plan.commands).to.have.length(1);
    expect(r.plan.commands[0].stdin).to.equal(undefined);
    expect(modeOf(dest)).to.equal('0600');
    expect(statSync(dest).uid).to.equal(Number(runLocal('id -u nobody').stdout.trim()));
  });

  it('copy with backup keeps the old file under Ansible\'s backup name', async () => {
    const dest = join(dir, 'b.conf');
    writeFileSync(dest, 'old\n');
    const r = await converges('copy', { content: 'new\n', dest, backup: true });
    const backup = r.result.backup_file as string;
    expect(backup).to.match(/b\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(readFileSync(backup, 'utf8')).to.equal('old\n');
    expect(readFileSync(dest, 'utf8')).to.equal('new\n');
  });

  it('a failing validate leaves the target untouched and no temp file', async () => {
    const dest = join(dir, 'v.conf');
    writeFileSync(dest, 'good\n');
    const r = await applyModule('copy', { content: 'bad\n', dest, validate: 'grep -q good %s' });
    expect(r.results[0].exitCode).to.not.equal(0);
    expect(r.result.failed).to.equal(true);
    expect(r.result.msg).to.include('failed to validate');
    expect(r.result.changed, 'a failed write changed nothing (Ansible: changed false)').to.equal(false);
    expect(readFileSync(dest, 'utf8')).to.equal('good\n');
    expect(leftovers()).to.deep.equal([]);
  });

  it('template and lineinfile with a failing validate report changed: false', async () => {
    const t = await applyModule('template', { src: 't.j2', dest: join(dir, 't'), validate: 'false %s' }, localContext({}, { 't.j2': 'x\n' }));
    expect(t.result).to.include({ failed: true, changed: false });
    const l = await applyModule('lineinfile', { path: join(dir, 'l'), line: 'y', create: true, validate: 'false %s' });
    expect(l.result).to.include({ failed: true, changed: false });
    expect(leftovers()).to.deep.equal([]);
  });

  it('copy of a big src streams the file (stdinFile, checksum computed in chunks) and is byte-exact', async () => {
    const src = join(dir, 'big.src');
    const bytes = Buffer.alloc(STREAM_MIN_BYTES + 12345);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(src, bytes);
    const dest = join(dir, 'big');
    const first = await converges('copy', { src, dest, mode: '0600' }, localContext({ diff: true }));
    const [write] = first.plan.commands;
    expect(write.stdinFile).to.equal(src);
    expect(write.stdin).to.equal(undefined);
    expect(first.result).to.include({ checksum: createHash('sha1').update(bytes).digest('hex'), size: bytes.length });
    expect(first.plan.diff?.[0].after).to.equal('(file too large to diff)\n');
    expect(readFileSync(dest).equals(bytes)).to.equal(true);
    expect(modeOf(dest)).to.equal('0600');
    expect(leftovers()).to.deep.equal([]);
  });

  it('copy of a small src stays on the shell path (stdin bytes)', async () => {
    const src = join(dir, 'small.src');
    writeFileSync(src, 'small\n');
    const ctx = localContext({ resolveLocalPath: () => src }, { [src]: 'small\n' });
    const r = await converges('copy', { src, dest: join(dir, 'small') }, ctx);
    expect(r.plan.commands[0].stdinFile).to.equal(undefined);
    expect(r.plan.commands[0].stdin?.toString()).to.equal('small\n');
  });

  it('validate sees the temp file (a quoted path with spaces)', async () => {
    const dest = join(dir, 'v2.conf');
    await converges('copy', { content: 'good\n', dest, validate: 'grep -q good %s' });
    expect(readFileSync(dest, 'utf8')).to.equal('good\n');
  });

  it('a cut transfer (truncated stdin) never replaces the target', async () => {
    const dest = join(dir, 'cut.conf');
    writeFileSync(dest, 'old\n');
    const r = await applyModule('copy', { content: 'a long new content\n', dest }, localContext({ check: true }));
    const cmd = r.plan.commands[0];
    const res = runLocal(cmd.command, Buffer.from('a long'));
    expect(res.exitCode).to.not.equal(0);
    expect(res.stderr).to.include('incomplete');
    expect(readFileSync(dest, 'utf8')).to.equal('old\n');
    expect(leftovers()).to.deep.equal([]);
  });

  it('copy into a missing directory fails with a clear message', async () => {
    const r = await applyModule('copy', { content: 'x', dest: join(dir, 'nope', 'f') });
    expect(r.result.failed).to.equal(true);
    expect(r.result.msg).to.include('does not exist');
  });

  it('template renders, converges, and re-renders on change', async () => {
    const dest = join(dir, 't.yaml');
    await converges('template', { src: 't.j2', dest, mode: '0644' }, localContext({}, { 't.j2': 'a: 1\n' }));
    const r = await converges('template', { src: 't.j2', dest, mode: '0644' }, localContext({ diff: true }, { 't.j2': 'a: 2\n' }));
    expect(r.plan.diff?.[0]).to.include({ before: 'a: 1\n', after: 'a: 2\n' });
    expect(readFileSync(dest, 'utf8')).to.equal('a: 2\n');
  });

  it('file: nested directory with mode, touch, link, hard link, absent', async () => {
    const d = join(dir, 'x', 'y');
    await converges('file', { path: d, state: 'directory', mode: '0750' });
    expect(modeOf(d)).to.equal('0750');
    expect(modeOf(join(dir, 'x')), 'a created parent gets the mode too').to.equal('0750');
    await converges('file', { path: join(dir, 'plain', 'dirs'), state: 'directory' });
    const f = join(d, 'f');
    const touched = await applyModule('file', { path: f, state: 'touch', mode: 'u=rw,g=r,o=' });
    expect(touched.plan.changed).to.equal(true);
    expect(modeOf(f)).to.equal('0640');
    await converges('file', { path: f, state: 'file', mode: '0600' });
    expect(modeOf(f)).to.equal('0600');
    const l = join(dir, 'link');
    await converges('file', { path: l, state: 'link', src: 'x/y/f' });
    expect(readlinkSync(l)).to.equal('x/y/f');
    await converges('file', { path: l, state: 'link', src: d });
    expect(readlinkSync(l)).to.equal(d);
    const h = join(dir, 'hard');
    await converges('file', { path: h, state: 'hard', src: f });
    expect(statSync(h).ino).to.equal(statSync(f).ino);
    await converges('file', { path: join(dir, 'x'), state: 'absent' });
    expect(existsSync(join(dir, 'x'))).to.equal(false);
    expect(lstatSync(l).isSymbolicLink()).to.equal(true);
  });

  it('file recurse sets the mode on the whole tree, then converges', async () => {
    const d = join(dir, 'tree');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'sub', 'f'), '');
    chmodSync(join(d, 'sub', 'f'), 0o600);
    await converges('file', { path: d, state: 'directory', recurse: true, mode: '0755' });
    expect(modeOf(join(d, 'sub', 'f'))).to.equal('0755');
  });

  it('file refuses to turn a file into a link without force', async () => {
    const f = join(dir, 'plain');
    writeFileSync(f, '');
    const r = await applyModule('file', { path: f, state: 'link', src: '/etc/hostname' });
    expect(r.plan.failed).to.include('refusing to convert from file to symlink');
  });

  it('lineinfile edits, converges, creates', async () => {
    const p = join(dir, 'sshd_config');
    writeFileSync(p, '# comment\nPermitRootLogin yes\nX 1\n');
    await converges('lineinfile', { path: p, regexp: '^PermitRootLogin', line: 'PermitRootLogin no' });
    expect(readFileSync(p, 'utf8')).to.equal('# comment\nPermitRootLogin no\nX 1\n');
    const n = join(dir, 'new', 'dir', 'file');
    await converges('lineinfile', { path: n, line: 'hello', create: true, mode: '0600' });
    expect(readFileSync(n, 'utf8')).to.equal('hello\n');
    expect(modeOf(n)).to.equal('0600');
    await converges('lineinfile', { path: p, state: 'absent', regexp: '^X ' });
    expect(readFileSync(p, 'utf8')).to.equal('# comment\nPermitRootLogin no\n');
    const viaLink = join(dir, 'link-to-config');
    runLocal(sh`ln -s ${p} ${viaLink}`);
    await converges('lineinfile', { path: viaLink, line: 'Added 1' });
    expect(lstatSync(viaLink).isSymbolicLink(), 'the link survives').to.equal(true);
    expect(readFileSync(p, 'utf8')).to.equal('# comment\nPermitRootLogin no\nAdded 1\n');
  });

  for (const module of ['blockinfile', 'replace']) {
    it(`${module} writes byte-for-byte what ansible-core wrote (recorded cases), then converges`, async () => {
      const recorded = parse(readFileSync(new URL(`./${module}-cases.yaml`, import.meta.url), 'utf8')) as { name: string; before: string | null; params: Record<string, unknown>; expect: { after?: string | null } }[];
      const names = [module, `ansible.builtin.${module}`, `ansible.legacy.${module}`];
      for (const [i, c] of recorded.filter((r) => r.expect.after !== undefined).entries()) {
        const p = join(dir, `edit${i}`);
        if (c.before !== null) writeFileSync(p, c.before);
        await converges(names[i % names.length], { ...c.params, path: p });
        expect(readFileSync(p, 'utf8'), c.name).to.equal(c.expect.after);
      }
    });
  }

  it('ini_file writes byte-for-byte what community.general.ini_file wrote (recorded cases), then converges, under its four names', async () => {
    const recorded = parse(readFileSync(new URL('./ini_file-cases.yaml', import.meta.url), 'utf8')) as { name: string; before: string | null; params: Record<string, unknown>; expect: { after?: string | null } }[];
    const names = ['ini_file', 'ansible.builtin.ini_file', 'ansible.legacy.ini_file', 'community.general.ini_file'];
    const spec = findModule('ini_file')!.spec;
    for (const [i, c] of recorded.filter((r) => r.expect.after !== undefined && r.expect.after !== null).entries()) {
      const p = join(dir, 'sub dir', `edit${i}.ini`);
      if (c.before !== null) {
        mkdirSync(join(dir, 'sub dir'), { recursive: true });
        writeFileSync(p, c.before);
      }
      await converges(names[i % names.length], validateArgs(spec, { ...c.params, path: p }, 'ini_file'));
      expect(readFileSync(p, 'utf8'), c.name).to.equal(c.expect.after);
    }
  });

  it('authorized_key writes what ansible.posix.authorized_key wrote (recorded cases), makes the dir 0700 and the file 0600, then converges', async () => {
    const recorded = parse(readFileSync(new URL('./authorized_key-cases.yaml', import.meta.url), 'utf8')) as { name: string; before: string | null; params: Record<string, unknown>; expect: { after?: string | null } }[];
    const spec = findModule('authorized_key')!.spec;
    const user = userInfo().username;
    for (const [i, c] of recorded.filter((r) => r.expect.after !== undefined && r.expect.after !== null).entries()) {
      const ssh = join(dir, `home ${i}`, '.ssh');
      const p = join(ssh, 'authorized_keys');
      mkdirSync(join(dir, `home ${i}`));
      if (c.before !== null) {
        mkdirSync(ssh, { recursive: true, mode: 0o755 });
        writeFileSync(p, c.before, { mode: 0o644 });
      }
      const name = i % 2 ? 'ansible.posix.authorized_key' : 'authorized_key';
      const first = await converges(name, validateArgs(spec, { ...c.params, user, path: p }, 'authorized_key'));
      expect(readFileSync(p, 'utf8'), c.name).to.equal(c.expect.after);
      if (first.plan.changed && c.params.manage_dir !== false) expect(modeOf(ssh), c.name).to.equal('0700');
      if (first.plan.changed) expect(modeOf(p), c.name).to.equal('0600');
    }
  });

  it('blockinfile edits through a symlink and sets the mode', async () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'a\n');
    const viaLink = join(dir, 'link-to-target');
    runLocal(sh`ln -s ${target} ${viaLink}`);
    await converges('blockinfile', { path: viaLink, block: 'x=1', mode: '0600' });
    expect(lstatSync(viaLink).isSymbolicLink(), 'the link survives').to.equal(true);
    expect(modeOf(target)).to.equal('0600');
  });

  it('stat reports what fs.stat sees', async () => {
    const p = join(dir, 's');
    writeFileSync(p, 'hello');
    chmodSync(p, 0o640);
    const r = await applyModule('stat', { path: p });
    const st = r.result.stat as Record<string, unknown>;
    const real = statSync(p);
    expect(st).to.include({ exists: true, isreg: true, isdir: false, mode: '0640', size: 5, uid: real.uid, inode: real.ino });
    expect(st.checksum).to.equal('aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d');
    const missing = await applyModule('stat', { path: join(dir, 'nope') });
    expect(missing.result.stat).to.deep.equal({ exists: false });
  });

  it('file_stat frames odd names (spaces, newline) and link targets safely', () => {
    const odd = join(dir, 'a b\nc');
    writeFileSync(odd, 'x');
    const link = join(dir, 'l');
    runLocal(sh`ln -s ${odd} ${link}`);
    const probe = fileStat({ path: link, checksum: 'sha256' });
    const parsed = probe.parse(runLocal(probe.command));
    expect(parsed).to.include({ exists: true, type: 'link', lnk_target: odd, lnk_source: odd });
    const followed = fileStat({ path: link, follow: true, checksum: 'sha256', contentMaxBytes: 10 });
    const f = followed.parse(runLocal(followed.command));
    expect(f).to.include({ type: 'file', size: 1, content: 'eA==', islnk: true });
    expect(f.checksum).to.equal('2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
  });

  it('command honours chdir and creates; shell runs through /bin/sh', async () => {
    writeFileSync(join(dir, 'marker'), '');
    const r = await applyModule('command', { _raw_params: 'ls -1 "a dir" marker', chdir: dir, creates: 'nothing*' });
    expect(r.result.rc).to.equal(2);
    expect(r.result.failed).to.equal(true);
    expect(r.result.stdout).to.equal('marker');
    const skipped = await applyModule('command', { _raw_params: 'false', chdir: dir, creates: 'mark*' });
    expect(skipped.plan.commands).to.deep.equal([]);
    expect(skipped.result).to.include({ changed: false, stdout: 'skipped, since mark* exists' });
    const home = await applyModule('command', { argv: ['echo', '$HOME', '~', '$(id)'] });
    expect(home.result.stdout).to.equal(`${process.env.HOME} ${process.env.HOME} $(id)`);
    const shellRun = await applyModule('shell', { _raw_params: 'echo one; echo two >&2', stdin: 'ignored' });
    expect(shellRun.result).to.include({ rc: 0, stdout: 'one', stderr: 'two', changed: true });
    expect(shellRun.result.stdout_lines).to.deep.equal(['one']);
  });
});
