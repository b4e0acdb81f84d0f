/**
 * The alert-counting awk program the health probe runs on the host, run here by the same awk
 * Debian hosts have (mawk; any POSIX awk), table-driven (the config awk: test/falco-config):
 *   test/cases/health/count-alerts/<case>.yaml: input, since, partial -> expect (lines, count lines in any order)
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ALERTS_AWK } from '../../src/health/alerts-awk.js';
import { loadCases } from '../support/cases.js';

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
  for (const c of loadCases<CountCase>(root).filter((x) => x.group === 'count-alerts')) {
    it(`count-alerts: ${c.name} — ${c.data.description ?? ''}`, () => {
      const out = execFileSync('awk', ['-v', `since=${c.data.since}`, '-v', `partial=${c.data.partial ?? 0}`, ALERTS_AWK], { input: c.data.input, encoding: 'utf8' });
      expect(lines(out).sort()).to.deep.equal(lines(c.data.expect).sort());
    });
  }
});
