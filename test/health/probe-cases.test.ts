/**
 * The health probe's parser and verdict, table-driven: test/cases/health/probe/<case>.yaml
 *
 *   description: what the case shows
 *   output: <stdout of the probe script>     # recorded on sandbox hosts, or a recording edited as described
 *   expect: { <HostHealth field>: <value> }   # each listed field deep-equals; `null` for a field = absent or null
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { parseHealthProbe } from '../../src/health/parse-probe.js';
import { judgeHealth } from '../../src/health/verdict.js';
import { loadCases } from '../support/cases.js';

interface ProbeCase {
  description?: string;
  output: string;
  expect: Record<string, unknown>;
}

const root = fileURLToPath(new URL('../cases/health', import.meta.url));

describe('health probe: parser and verdict (table-driven)', () => {
  for (const c of loadCases<ProbeCase>(root).filter((x) => x.group === 'probe')) {
    it(`${c.name}${c.data.description ? ` — ${c.data.description}` : ''}`, () => {
      const judged = judgeHealth(parseHealthProbe(c.data.output), 15) as unknown as Record<string, unknown>;
      for (const [field, want] of Object.entries(c.data.expect)) {
        expect(judged[field] ?? null, field).to.deep.equal(want);
      }
    });
  }

  it('rejects output that is not the probe', () => {
    expect(() => parseHealthProbe('sh: 1: syntax error\n')).to.throw(/unexpected health probe output/);
  });
});
