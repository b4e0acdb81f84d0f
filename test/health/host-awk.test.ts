/**
 * The two awk programs the health probe runs on the host, run here by the same awk Debian hosts
 * have (mawk; any POSIX awk), table-driven:
 *   test/cases/health/flatten-yaml/<case>.yaml: files (texts, in order) -> expect (lines, in any order)
 *   test/cases/health/count-alerts/<case>.yaml: input, since, partial -> expect (lines, count lines in any order)
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLATTEN_YAML_AWK } from '../../src/health/flatten-yaml-awk.js';
import { ALERTS_AWK } from '../../src/health/alerts-awk.js';
import { PICK_AWK } from '../../src/health/probe-script.js';
import { loadCases } from '../support/cases.js';

interface FlattenCase {
  description?: string;
  files: string[];
  expect: string;
}

interface CountCase {
  description?: string;
  since: string;
  partial?: number;
  input: string;
  expect: string;
}

const root = fileURLToPath(new URL('../cases/health', import.meta.url));
const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('health probe: awk programs run on the host (table-driven)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-health-awk-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

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

  for (const c of loadCases<CountCase>(root).filter((x) => x.group === 'count-alerts')) {
    it(`count-alerts: ${c.name} — ${c.data.description ?? ''}`, () => {
      const out = execFileSync('awk', ['-v', `since=${c.data.since}`, '-v', `partial=${c.data.partial ?? 0}`, ALERTS_AWK], { input: c.data.input, encoding: 'utf8' });
      expect(lines(out).sort()).to.deep.equal(lines(c.data.expect).sort());
    });
  }
});

describe('health probe: config values handed to the shell', () => {
  it('PICK_AWK output evaluated by sh gives the values back as they are, quotes and $(...) included, nothing run', () => {
    const flat = ["webserver.listen_port=87'65", 'file_output.filename=/var/log/$(touch /tmp/fd-health-pwned)`id`.json', 'engine.kind=kmod', 'other.key=ignored'].join('\n');
    const out = execFileSync('sh', ['-c', 'eval "$(printf \'%s\\n\' "$FLAT" | awk "$PICK")"; printf "%s|%s|%s|%s" "$PORT" "$FO" "$KIND" "${OTHER-unset}"'], {
      encoding: 'utf8',
      env: { ...process.env, FLAT: flat, PICK: PICK_AWK },
    });
    expect(out).to.equal("87'65|/var/log/$(touch /tmp/fd-health-pwned)`id`.json|kmod|unset");
  });
});
