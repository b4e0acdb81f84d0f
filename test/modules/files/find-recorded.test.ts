/**
 * find against behaviour RECORDED from ansible-core's own module (find-cases.yaml, re-record with
 * `record-find.py`): the same fixture tree is built in a temp dir on THIS machine, the module's probe
 * runs through `sh -c`, and the registered result must be what Ansible registered there.
 */
import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateArgs } from '../../../src/argspec/validate.js';
import { findModule } from '../../../src/modules/registry.js';
import { applyModule } from './local-host.js';

interface TreeEntry { path: string; content?: string; content_bytes?: number; content_hex?: string; mode?: string; dir?: boolean; link?: string; age?: number }
interface RecordedCase {
  name: string;
  params: Record<string, unknown>;
  expect: {
    failed?: string; changed?: boolean; msg?: string; matched?: number; examined?: number;
    skipped_paths?: Record<string, string>; file_keys?: string[]; files?: Record<string, unknown>[];
  };
}

const here = (f: string) => fileURLToPath(new URL(`./${f}`, import.meta.url));
const inputs = parse(readFileSync(here('find-inputs.yaml'), 'utf8')) as { tree: TreeEntry[] };
const cases = parse(readFileSync(here('find-cases.yaml'), 'utf8')) as RecordedCase[];

function buildTree(root: string) {
  const now = Date.now() / 1000;
  for (const e of inputs.tree) {
    const p = join(root, e.path);
    if (e.link !== undefined) {
      symlinkSync(e.link, p);
      continue;
    }
    if (e.dir) mkdirSync(p);
    else writeFileSync(p, e.content_hex !== undefined ? Buffer.from(e.content_hex, 'hex') : e.content_bytes !== undefined ? Buffer.alloc(e.content_bytes, 'x') : e.content ?? '');
    chmodSync(p, parseInt(e.mode ?? '0644', 8));
  }
  for (const e of inputs.tree) if (e.age !== undefined) utimesSync(join(root, e.path), now - e.age, now - e.age);
}

const subst = (v: unknown, from: string, to: string): unknown => {
  if (typeof v === 'string') return v.split(from).join(to);
  if (Array.isArray(v)) return v.map((x) => subst(x, from, to));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [subst(k, from, to) as string, subst(x, from, to)]));
  return v;
};

describe('find matches recorded ansible-core behaviour', function () {
  this.timeout(20000);
  let root: string;
  before(() => {
    root = join(mkdtempSync(join(tmpdir(), 'fd find ')), 'tree');
    mkdirSync(root);
    buildTree(root);
  });
  after(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  for (const c of cases) {
    it(c.name, async () => {
      // as the engine does after templating: the production validator fills defaults, splits lists
      const args = validateArgs(findModule('find')!.spec, subst(c.params, '{root}', root) as Record<string, unknown>, 'find');
      const { plan, result } = await applyModule('find', args);
      if (c.expect.failed !== undefined) {
        expect(plan.failed).to.equal(c.expect.failed);
        return;
      }
      expect(plan.failed, 'failed').to.equal(undefined);
      const r = subst(result, root, '{root}') as Record<string, unknown>;
      expect(plan.changed).to.equal(false);
      for (const k of ['changed', 'msg', 'matched', 'examined', 'skipped_paths'] as const) expect(r[k], k).to.deep.equal(c.expect[k]);
      const files = (r.files as Record<string, unknown>[]).slice().sort((x, y) => (String(x.path) < String(y.path) ? -1 : 1));
      if (files.length) expect(Object.keys(files[0]).sort()).to.deep.equal(c.expect.file_keys);
      const want = c.expect.files ?? [];
      expect(files.map((f) => f.path)).to.deep.equal(want.map((f) => f.path));
      want.forEach((w, i) => {
        // a directory's size is the file system's business
        const picked = Object.fromEntries(Object.keys(w).filter((k) => !(k === 'size' && w.isdir)).map((k) => [k, files[i][k]]));
        expect(picked, String(w.path)).to.deep.equal(Object.fromEntries(Object.entries(w).filter(([k]) => !(k === 'size' && w.isdir))));
      });
    });
  }
});
