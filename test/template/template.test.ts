/**
 * One table-driven runner for test/cases/template/*.yaml. Expectations in those files are
 * recorded from real Ansible by test/template/record-expectations.py; never edit them by hand.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMapping, toPlainData } from '../../src/template/pyvalue.js';
import { safeLoad } from '../../src/yaml/load.js';
import { createTemplater, OMIT, TemplateSyntaxError, TemplateUndefinedError } from '../../src/template/index.js';

interface Case {
  name: string;
  kind?: 'render' | 'text' | 'file' | 'cond' | 'data';
  files?: Record<string, string>;
  template?: string;
  when?: string | boolean | (string | boolean)[];
  data?: unknown;
  vars?: Record<string, unknown>;
  expected?: unknown;
  expected_error?: string;
  expected_error_line?: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const casesDir = path.join(here, '..', 'cases', 'template');
const OMIT_PLACEHOLDER = '__omit__';

function withOmit(value: unknown): unknown {
  if (typeof value === 'string') return value.split(OMIT_PLACEHOLDER).join(OMIT);
  if (Array.isArray(value)) return value.map(withOmit);
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withOmit(v)]));
  return value;
}

const templater = createTemplater({ searchPaths: [] });
// Known environment for lookup('env', ...) cases; the recorder sets the same.
process.env.FALCO_DEPLOY_TEMPLATE_TEST = 'hello';


/** The case's `files` written to a directory that is the templater's (and the recorder's loader's) base. */
async function withCaseFiles<T>(c: Case, fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'falco-deploy-template-'));
  try {
    for (const [name, text] of Object.entries(c.files ?? {})) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(c: Case): Promise<unknown> {
  const vars = withOmit(c.vars ?? {}) as Record<string, unknown>;
  const origin = { file: `case:${c.name}`, line: 1 };
  switch (c.kind ?? 'render') {
    case 'render':
      if (c.files) return withCaseFiles(c, (dir) => createTemplater({ searchPaths: [dir] }).renderString(withOmit(c.template) as string, vars, origin));
      return templater.renderString(withOmit(c.template) as string, vars, origin);
    case 'text':
      return templater.renderText(c.template!, vars, origin);
    case 'file':
      return withCaseFiles(c, (dir) => createTemplater({ searchPaths: [dir] }).renderFile(c.template!, vars));
    case 'cond':
      return templater.evaluateCondition(c.when!, vars, origin);
    case 'data':
      return templater.templateData(withOmit(c.data), vars, origin);
  }
}

for (const file of readdirSync(casesDir).filter((f) => f.endsWith('.yaml')).sort()) {
  // The recorder writes with PyYAML (YAML 1.1): read with the same resolution ('1e3' is a string).
  const cases = safeLoad(readFileSync(path.join(casesDir, file), 'utf8')) as Case[];
  describe(`template cases: ${file}`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        if (c.expected_error !== undefined) {
          let caught: unknown;
          try {
            await run(c);
          } catch (err) {
            caught = err;
          }
          expect(caught, 'expected an error').to.be.instanceOf(Error);
          expect((caught as Error).message).to.include(c.expected_error);
          if (c.expected_error_line !== undefined) {
            expect((caught as { line?: number }).line).to.equal(c.expected_error_line);
          }
          return;
        }
        expect(await run(c)).to.deep.equal(toPlainData(withOmit(c.expected ?? null)));
      });
    }
  });
}

describe('template error classes', () => {
  it('undefined variables are host failures naming file:line and the variable', () => {
    try {
      templater.renderText('a\n{{ falco_webserver_port }}\n', {}, { file: 'templates/falco.yaml.j2', line: 1 });
      expect.fail('no error');
    } catch (err) {
      expect(err).to.be.instanceOf(TemplateUndefinedError);
      const e = err as TemplateUndefinedError;
      expect(e.describe()).to.equal("templates/falco.yaml.j2:2: 'falco_webserver_port' is undefined");
      expect(e.phase).to.equal('plan');
    }
  });
  it('syntax errors are bad input (exit 4)', () => {
    try {
      templater.renderText('{% if x %}', { x: 1 }, { file: 't.j2' });
      expect.fail('no error');
    } catch (err) {
      expect(err).to.be.instanceOf(TemplateSyntaxError);
      expect((err as TemplateSyntaxError).exitCode).to.equal(4);
    }
  });
  it('compiles each task argument once and reuses it (speed figures: bench/template.ts)', () => {
    const vars = { falco_version: '0.37.1', pkgs: ['falco', 'dkms'] };
    const args = { name: '{{ pkgs }}', state: 'present', version: 'v{{ falco_version }}' };
    const compiled = (templater as unknown as { compiled: Map<string, unknown> }).compiled;
    templater.templateData(args, vars);
    const size = compiled.size;
    for (let i = 0; i < 50; i++) expect(templater.templateData(args, { ...vars, falco_version: `0.${i}` })).to.deep.include({ version: `v0.${i}` });
    expect(compiled.size).to.equal(size);
  });
});
