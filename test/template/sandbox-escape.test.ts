/**
 * Template sandbox: runs test/cases/template/sandbox/escapes.yaml. Every known escape payload
 * must fail with a template error and leave no trace (marker flag, built-in prototypes); what
 * Jinja/Ansible templates legitimately use must keep working.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createTemplater, isTemplateError } from '../../src/template/index.js';
import { runLocal } from '../support/run-local.js';

interface SandboxCase {
  name: string;
  kind?: 'render' | 'text' | 'cond' | 'data';
  template: string;
  vars?: Record<string, unknown>;
  error?: string;
  expected?: unknown;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(here, '..', 'cases', 'template', 'sandbox', 'escapes.yaml');
const { payloads, allowed } = parse(readFileSync(file, 'utf8')) as { payloads: SandboxCase[]; allowed: SandboxCase[] };

const MARKER = '__sandboxEscape';
const JS = `globalThis.${MARKER} = true`;
const withMarker = (s: string) => s.split('$MARK').join(JSON.stringify(`${JS}; return 1`)).split('$JS').join(JS);

function substitute(value: unknown): unknown {
  if (typeof value === 'string') return withMarker(value);
  if (Array.isArray(value)) return value.map(substitute);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
  return value;
}

const templater = createTemplater({ searchPaths: [] });

function run(c: SandboxCase): unknown {
  const template = withMarker(c.template);
  const vars = substitute(c.vars ?? {}) as Record<string, unknown>;
  const origin = { file: `sandbox:${c.name}`, line: 1 };
  switch (c.kind ?? 'render') {
    case 'render': return templater.renderString(template, vars, origin);
    case 'text': return templater.renderText(template, vars, origin);
    case 'cond': return templater.evaluateCondition(template, vars, origin);
    case 'data': return templater.templateData({ msg: template }, vars, origin);
  }
}

const BUILTINS: [string, object][] = [
  ['Object.prototype', Object.prototype], ['Function.prototype', Function.prototype],
  ['Array.prototype', Array.prototype], ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype], ['Boolean.prototype', Boolean.prototype],
];
const snapshot = () => BUILTINS.map(([name, proto]) => `${name}: ${Reflect.ownKeys(proto).map(String).sort().join(',')}`);

/** Runs the case; fails if it ran the marker or changed a built-in prototype. */
function runLeavingNoTrace(c: SandboxCase): { result?: unknown; caught?: unknown } {
  delete (globalThis as Record<string, unknown>)[MARKER];
  const before = snapshot();
  const out: { result?: unknown; caught?: unknown } = {};
  try {
    out.result = run(c);
  } catch (err) {
    out.caught = err;
  }
  expect((globalThis as Record<string, unknown>)[MARKER], 'the payload ran JavaScript').to.equal(undefined);
  expect(snapshot(), 'a built-in prototype changed').to.deep.equal(before);
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').to.equal(undefined);
  return out;
}

describe('template sandbox', () => {
  describe('escape payloads fail with a template error', () => {
    for (const c of payloads) {
      it(c.name, () => {
        const { result, caught } = runLeavingNoTrace(c);
        expect(caught, `no error; rendered ${JSON.stringify(result)}`).to.be.instanceOf(Error);
        expect(isTemplateError(caught), `not a template error: ${String(caught)}`).to.equal(true);
        expect((caught as Error).message).to.include(c.error);
      });
    }
  });

  describe('what templates may use keeps working', () => {
    for (const c of allowed) {
      it(c.name, () => {
        const { result, caught } = runLeavingNoTrace(c);
        if (caught) throw caught;
        expect(result).to.deep.equal(c.expected);
      });
    }
  });
});

describe('template sandbox: in a playbook', () => {
  it('an escape payload fails the task for its host (named), the run goes on, nothing runs', async () => {
    delete (globalThis as Record<string, unknown>)[MARKER];
    const r = await runLocal({
      'inventory.ini': '[all]\nh1\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: payload
      debug:
        msg: "{{ range.constructor('${JS}')() }}"
      ignore_errors: true
    - name: payload in when
      debug: msg=unreached
      when: "cycler.constructor('${JS}')()"
      ignore_errors: true
    - name: after
      debug: msg=still_running
`,
    });
    expect((globalThis as Record<string, unknown>)[MARKER], 'the payload ran JavaScript').to.equal(undefined);
    for (const task of ['payload', 'payload in when']) {
      const [res] = r.results(task);
      expect(res, task).to.include({ host: 'h1', status: 'ignored' }); // failed, ignore_errors
      expect(res!.msg).to.include("'function object' has no attribute 'constructor'");
    }
    expect(r.results('after')[0]).to.include({ host: 'h1', status: 'ok', msg: 'still_running' });
  });
});
