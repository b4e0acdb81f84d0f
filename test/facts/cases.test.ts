/**
 * ONE runner for every fact parser case: test/cases/facts/<fact>/<case>.yaml
 *
 *   description: what the case shows
 *   args: <argument of the fact factory>         # optional
 *   output: { stdout: "...", stderr: "", exitCode: 0 }   # recorded from a real host
 *   expect: <parsed value>
 *   command_match: "<regex the probe command must match>"   # optional
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { factFactories } from '../../src/facts/index.js';
import { loadCases } from '../support/cases.js';

interface FactCase {
  description?: string;
  args?: unknown;
  output: { stdout?: string; stderr?: string; exitCode?: number };
  expect: unknown;
  command_match?: string;
}

const root = fileURLToPath(new URL('../cases/facts', import.meta.url));

describe('fact parsers (table-driven)', () => {
  for (const c of loadCases<FactCase>(root)) {
    it(`${c.group}: ${c.name}${c.data.description ? ` — ${c.data.description}` : ''}`, () => {
      const factory = factFactories[c.group];
      expect(factory, `no fact named ${c.group}`).to.be.a('function');
      const req = factory(c.data.args);
      expect(req.fact, 'the request names the fact it is registered as').to.equal(c.group);
      if (c.data.command_match) expect(req.command).to.match(new RegExp(c.data.command_match));
      const parsed = req.parse({
        stdout: c.data.output.stdout ?? '',
        stderr: c.data.output.stderr ?? '',
        exitCode: c.data.output.exitCode ?? 0,
        durationMs: 0,
      });
      expect(parsed).to.deep.equal(c.data.expect);
    });
  }
});
