/**
 * The one argument-spec validator against ansible-core 2.14's AnsibleModule, recorded in
 * test/cases/argspec/validate.yaml by test/argspec/record-expectations.py; plus what is ours:
 * load-time checking of templated values, idempotence (modules validate what the engine validated).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { argsFromAnsible, checksFromAnsible } from '../../src/argspec/from-ansible.js';
import type { ModuleSpec } from '../../src/argspec/spec.js';
import { ArgumentError, validateArgs } from '../../src/argspec/validate.js';
import { noLogValues } from '../../src/argspec/no-log.js';
import { FalcoDeployError } from '../../src/errors.js';

interface ValidateCase {
  name: string;
  module?: string;
  spec: Record<string, Record<string, unknown>>;
  params: Record<string, unknown>;
  mutually_exclusive?: string[][];
  required_together?: string[][];
  required_one_of?: string[][];
  required_if?: [string, unknown, string[], boolean?][];
  required_by?: Record<string, string[]>;
  expected?: Record<string, unknown>;
  expected_error?: string;
  no_log_values?: string[];
}

const cases = parse(readFileSync(new URL('../cases/argspec/validate.yaml', import.meta.url), 'utf8')) as ValidateCase[];

/** An Ansible argument_spec (as a module declares it in Python) as our ModuleSpec. */
export function moduleSpec(c: Pick<ValidateCase, 'spec' | 'mutually_exclusive' | 'required_together' | 'required_one_of' | 'required_if' | 'required_by'>): ModuleSpec {
  return { args: argsFromAnsible(c.spec), ...checksFromAnsible(c) };
}

describe('validateArgs (module argument spec), as ansible-core 2.14 AnsibleModule', () => {
  for (const c of cases) {
    it(c.name, () => {
      const spec = moduleSpec(c);
      const module = c.module ?? 'test';
      if (c.expected_error !== undefined) {
        expect(() => validateArgs(spec, c.params, module)).to.throw(ArgumentError).with.property('message', c.expected_error);
        return;
      }
      const got = validateArgs(spec, c.params, module);
      expect(got).to.deep.equal(c.expected);
      expect(validateArgs(spec, got, module), 'validating validated args changes nothing').to.deep.equal(got);
      expect(noLogValues(spec, got).sort(), 'no_log values').to.deep.equal(c.no_log_values ?? []);
    });
  }
});

describe('validateArgs at load time (before templating)', () => {
  const spec: ModuleSpec = {
    args: { a: { type: 'int' }, b: { type: 'str' }, state: { type: 'str', choices: ['on', 'off'] }, s: { type: 'str' } },
    mutuallyExclusive: [['a', 'b']],
    requiredIf: [['state', 'on', ['s']]],
  };
  const load = (params: Record<string, unknown>) => validateArgs(spec, params, 'm', { loadTime: true });

  it('does not type- or choice-check a templated value', () => {
    expect(() => load({ a: '{{ n }}', state: '{{ s }}' })).to.not.throw();
    expect(() => validateArgs(spec, { a: 'x' }, 'm', { loadTime: true })).to.throw(ArgumentError, "argument 'a' is of type <class 'str'>");
  });

  it('a templated value may be omitted: it does not make arguments mutually exclusive nor trigger required_if', () => {
    expect(() => load({ a: '{{ x | default(omit) }}', b: 'y' })).to.not.throw();
    expect(() => load({ a: 1, b: 'y' })).to.throw(ArgumentError, 'parameters are mutually exclusive: a|b');
    expect(() => load({ state: '{{ s }}' })).to.not.throw();
  });

  it('an unknown argument names the key the user wrote, with a did-you-mean hint kept apart from the message', () => {
    const err = (() => {
      try {
        load({ sate: 'on' });
      } catch (e) {
        return e as ArgumentError;
      }
    })();
    expect(err).to.be.instanceOf(ArgumentError).and.instanceOf(FalcoDeployError);
    expect(err!.argument).to.equal('sate');
    expect(err!.message).to.equal('Unsupported parameters for (m) module: sate. Supported parameters include: a, b, s, state.');
    expect(err!.hint).to.include("'state'");
  });
});
