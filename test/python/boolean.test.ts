/**
 * boolean() and the template's bool rules against ansible-core 2.14's answers, recorded in
 * test/cases/argspec/boolean.yaml by test/argspec/record-expectations.py.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { boolean } from '../../src/python/boolean.js';
import { ansibleToBool, TESTS } from '../../src/template/tests.js';

interface BooleanCase {
  value: unknown;
  strict?: boolean;
  strict_error?: string;
  loose?: boolean;
  loose_error?: string;
  bool_filter: boolean | null;
  truthy: boolean;
}

const cases = parse(readFileSync(new URL('../cases/argspec/boolean.yaml', import.meta.url), 'utf8')) as BooleanCase[];

function outcome(fn: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('boolean() (module_utils convert_bool), as ansible-core 2.14', () => {
  for (const c of cases) {
    const shown = JSON.stringify(c.value);
    it(`boolean(${shown})`, () => {
      expect(outcome(() => boolean(c.value))).to.deep.equal(c.strict_error === undefined ? { value: c.strict } : { error: c.strict_error });
      expect(outcome(() => boolean(c.value, false))).to.deep.equal(c.loose_error === undefined ? { value: c.loose } : { error: c.loose_error });
    });
    it(`${shown} | bool, ${shown} is truthy(convert_bool=True)`, () => {
      expect(ansibleToBool(c.value), 'bool filter').to.equal(c.bool_filter);
      expect(TESTS.truthy!(c.value, true), 'truthy').to.equal(c.truthy);
      expect(TESTS.falsy!(c.value, true), 'falsy').to.equal(!c.truthy);
    });
  }
});
