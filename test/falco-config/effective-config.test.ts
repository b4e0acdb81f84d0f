/**
 * Falco's effective configuration as the host works it out (the one implementation health and
 * alerts share), run here by the same sh + awk Debian hosts have, table-driven:
 *   test/cases/falco-config/flatten-yaml/<case>.yaml: files (texts, in order) -> expect (lines, any order)
 *   test/cases/falco-config/effective-config/<case>.yaml: files (path under a temp ROOT -> text;
 *     falco.yaml is the main file) -> expect.files (read, in merge order), expect.config (lines, any order)
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLATTEN_YAML_AWK } from '../../src/falco-config/flatten-yaml-awk.js';
import { effectiveConfigShell, pickConfigShell } from '../../src/falco-config/effective-config-sh.js';
import { loadCases } from '../support/cases.js';

interface FlattenCase {
  description?: string;
  files: string[];
  expect: string;
}

interface EffectiveCase {
  description?: string;
  files: Record<string, string>;
  expect: { files: string[]; config: string };
}

const root = fileURLToPath(new URL('../cases/falco-config', import.meta.url));
const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('Falco effective configuration, worked out on the host (table-driven)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-falco-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of loadCases<FlattenCase>(root).filter((x) => x.group === 'flatten-yaml')) {
    it(`flatten-yaml: ${c.name} — ${c.data.description ?? ''}`, () => {
      const files = c.data.files.map((text, i) => {
        const f = join(dir, `${c.name}-${i}.yaml`);
        writeFileSync(f, text);
        return f;
      });
      const out = execFileSync('awk', [FLATTEN_YAML_AWK, ...files], { encoding: 'utf8' });
      expect(lines(out).sort()).to.deep.equal(lines(c.data.expect).sort());
    });
  }

  for (const c of loadCases<EffectiveCase>(root).filter((x) => x.group === 'effective-config')) {
    it(`effective-config: ${c.name} — ${c.data.description ?? ''}`, () => {
      for (const [rel, text] of Object.entries(c.data.files)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text.replaceAll('ROOT', dir));
      }
      const script = [...effectiveConfigShell(join(dir, 'falco.yaml')), 'printf \'%s\\n@@\\n%s\\n\' "$CFGS" "$EFF"'].join('\n');
      const [files, config] = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }).split('@@\n') as [string, string];
      expect(lines(files)).to.deep.equal(c.data.expect.files.map((f) => join(dir, f)));
      expect(lines(config).sort()).to.deep.equal(lines(c.data.expect.config.replaceAll('ROOT', dir)).sort());
    });
  }

  it('picked values reach the shell as they are, quotes and $(...) included, nothing run', () => {
    const flat = ["webserver.listen_port=87'65", 'file_output.filename=/var/log/$(touch /tmp/fd-health-pwned)`id`.json', 'engine.kind=kmod', 'other.key=ignored'].join('\n');
    const pick = pickConfigShell({ 'webserver.listen_port': 'PORT', 'file_output.filename': 'FO', 'engine.kind': 'KIND' });
    const out = execFileSync('sh', ['-c', `${pick}; printf "%s|%s|%s|%s" "$PORT" "$FO" "$KIND" "\${OTHER-unset}"`], {
      encoding: 'utf8',
      env: { ...process.env, EFF: flat },
    });
    expect(out).to.equal("87'65|/var/log/$(touch /tmp/fd-health-pwned)`id`.json|kmod|unset");
  });
});
