/**
 * ONE runner for the stand-in's command line cases: test/standin/cases/{validate,dry-run,version}/*.yaml
 *
 *   description: what the case shows
 *   version: 0.43.0              # optional, default 0.44.1
 *   files: { rel/path: content } # written under a fresh temp dir
 *   args: [...]                  # falco arguments
 *   expect: { status, stdout: [substrings], stderr: [...], not_stdout: [...], not_stderr: [...] }
 *
 * "{dir}" (the temp dir) and "{root}" (the unpacked package) are replaced everywhere.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases } from '../support/cases.js';
import { NEW_VERSION, falco, standinFixture } from './support.js';

interface CliCase {
  description?: string;
  version?: string;
  files?: Record<string, string>;
  args: string[];
  expect: { status: number; stdout?: string[]; stderr?: string[]; not_stdout?: string[]; not_stderr?: string[] };
}

const root = fileURLToPath(new URL('./cases', import.meta.url));
const groups = new Set(['validate', 'dry-run', 'version']);

describe('falco stand-in command line (table-driven)', function () {
  this.timeout(60_000);
  before(() => standinFixture());

  for (const c of loadCases<CliCase>(root).filter((x) => groups.has(x.group))) {
    it(`${c.group}: ${c.name}${c.data.description ? ` — ${c.data.description}` : ''}`, () => {
      const version = String(c.data.version ?? NEW_VERSION);
      const dir = mkdtempSync(join(standinFixture().dir, 'case-'));
      const fill = (s: string) => s.replaceAll('{dir}', dir).replaceAll('{root}', standinFixture().roots[version]);
      try {
        for (const [rel, content] of Object.entries(c.data.files ?? {})) {
          const path = join(dir, fill(rel));
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, fill(content));
        }
        const r = falco(version, c.data.args.map(String).map(fill));
        const context = `status ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
        expect(r.status, context).to.equal(c.data.expect.status);
        for (const s of c.data.expect.stdout ?? []) expect(r.stdout, context).to.include(fill(s));
        for (const s of c.data.expect.stderr ?? []) expect(r.stderr, context).to.include(fill(s));
        for (const s of c.data.expect.not_stdout ?? []) expect(r.stdout, context).not.to.include(fill(s));
        for (const s of c.data.expect.not_stderr ?? []) expect(r.stderr, context).not.to.include(fill(s));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
