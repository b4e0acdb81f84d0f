/**
 * unarchive against behaviour RECORDED from ansible-core's own module (unarchive-cases.yaml,
 * re-record with `record-unarchive.py`): the same archives (GNU tar, fixed mtimes) are unpacked in
 * the same order through `sh -c` on THIS machine, and each registered result must be Ansible's.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateArgs } from '../../../src/argspec/validate.js';
import { findModule } from '../../../src/modules/registry.js';
import { applyModule, localContext } from './local-host.js';

interface RecordedTask { name: string; params: Record<string, unknown>; before?: Record<string, string>; expect: Record<string, unknown> }

const here = (f: string) => fileURLToPath(new URL(`./${f}`, import.meta.url));
const inputs = parse(readFileSync(here('unarchive-inputs.yaml'), 'utf8')) as { tree: Record<string, string>; archives: Record<string, [string]> };
const tasks = parse(readFileSync(here('unarchive-cases.yaml'), 'utf8')) as RecordedTask[];

function run(argv: string[]) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

describe('unarchive matches recorded ansible-core behaviour', function () {
  this.timeout(20000);
  let work: string;
  const fill = (v: unknown): unknown => (typeof v === 'string' ? v.split('{work}').join(work) : Array.isArray(v) ? v.map(fill) : v);
  const unfill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split(work).join('{work}');
    if (Array.isArray(v)) return v.map(unfill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unfill(x)]));
    return v;
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'fd-unarchive-'));
    const tree = join(work, 'tree');
    for (const [rel, content] of Object.entries(inputs.tree)) {
      mkdirSync(dirname(join(tree, rel)), { recursive: true });
      writeFileSync(join(tree, rel), content);
      chmodSync(join(tree, rel), rel.includes('/bin/') ? 0o755 : 0o644);
    }
    run(['find', tree, '-exec', 'touch', '-h', '-d', '2026-01-02 03:04:05', '{}', '+']);
    mkdirSync(join(work, 'archives'));
    for (const [name, [flags]] of Object.entries(inputs.archives)) {
      run(['tar', '--sort=name', '--owner=0', '--group=0', `-${flags}`, join(work, 'archives', name), '-C', tree, 'app', 'README']);
    }
    for (const d of ['d1', 'd2', 'd3', 'd4', 'd5']) mkdirSync(join(work, d));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const t of tasks) {
    it(t.name, async () => {
      for (const [path, content] of Object.entries(t.before ?? {})) writeFileSync(fill(path) as string, content);
      const mod = findModule('unarchive')!;
      const args = validateArgs(mod.spec, Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, fill(v)])), 'unarchive');
      const ctx = localContext({ readLocalFile: (src) => readFile(src) });
      const { plan, result } = await applyModule('unarchive', args, ctx);
      let got: Record<string, unknown>;
      if (plan.skippedReason) got = { changed: false, skipped: true, msg: plan.skippedReason };
      else if (plan.failed) got = { changed: false, failed: true, msg: plan.failed };
      else got = result;
      got = unfill(got) as Record<string, unknown>;
      if (!t.params.remote_src && typeof got.src === 'string') {
        const tmp = got.src;
        got = JSON.parse(JSON.stringify(got).split(JSON.stringify(tmp).slice(1, -1)).join('<remote tmp>')) as Record<string, unknown>;
      }
      if ('size' in got) got.size = '<fs>';
      if (Array.isArray(got.files)) got.files = [...(got.files as string[])].sort();
      const want = { ...t.expect };
      delete want.exception;
      expect(got).to.deep.equal(want);
      afterTask[t.name]?.();
    });
  }

  const modeOf = (p: string) => (statSync(join(work, p)).mode & 0o7777).toString(8);
  const afterTask: Record<string, () => void> = {
    // as Ansible: every listed entry and the top folder, not dest itself
    'owner and mode on every entry': () => {
      expect([modeOf('d1/app'), modeOf('d1/app/etc/falco.yaml'), modeOf('d1')]).to.deep.equal(['750', '750', '755']);
      expect(statSync(join(work, 'd1/app/bin/falco')).uid).to.not.equal(0);
    },
    'a changed file is put back': () => expect(readFileSync(join(work, 'd1/README'), 'utf8')).to.equal(inputs.tree.README),
  };
});
