/**
 * Every place that reads a boolean from text follows boolean() (recorded from ansible-core in
 * test/cases/argspec/boolean.yaml): playbook keywords (FieldAttribute isa=bool) and the
 * `truthy(convert_bool=True)` / `falsy` tests. Module arguments: test/argspec/validate.test.ts
 * and test/cases/modules/**. Uses only long-standing entry points, so it runs on older code too.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FieldReader } from '../../src/playbook/fields.js';
import { TESTS } from '../../src/template/tests.js';

interface BooleanCase {
  value: unknown;
  strict?: boolean;
  strict_error?: string;
  truthy: boolean;
}

const cases = parse(readFileSync(new URL('../cases/argspec/boolean.yaml', import.meta.url), 'utf8')) as BooleanCase[];

describe('one boolean rule everywhere', () => {
  for (const c of cases) {
    const shown = JSON.stringify(c.value);
    if (c.value !== null) {
      it(`playbook keyword become: ${shown}`, () => {
        const read = () => new FieldReader({ become: c.value }, 'site.yml', 'play').bool('become');
        if (c.strict_error === undefined) expect(read()).to.equal(c.strict);
        else expect(read).to.throw(c.strict_error);
      });
    }
    it(`${shown} is truthy(convert_bool=True) / falsy(convert_bool=True)`, () => {
      expect(TESTS.truthy!(c.value, true)).to.equal(c.truthy);
      expect(TESTS.falsy!(c.value, true)).to.equal(!c.truthy);
    });
  }
});
