/**
 * The templater's own contract (error classes, locations, template-module variables, data
 * handling). What templates evaluate to is checked against recorded Ansible results in
 * template.test.ts; these cases cover what only this API defines.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createTemplater, isTemplated, OMIT, taskArgErrorMessage, TemplateRenderError, TemplateSyntaxError,
  TemplateUndefinedError,
} from '../../src/template/index.js';

const templater = createTemplater({ searchPaths: [] });

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

interface ErrorCase {
  name: string;
  run: () => unknown;
  type: new (...args: never[]) => Error;
  describe: string;
  exitCode: number;
}

const errorCases: ErrorCase[] = [
  {
    name: 'undefined variable in a template file: host failure at file:line',
    run: () => templater.renderText('a\n{{ falco_webserver_port }}\n', {}, { file: 'templates/falco.yaml.j2', line: 1 }),
    type: TemplateUndefinedError,
    describe: "templates/falco.yaml.j2:2: 'falco_webserver_port' is undefined",
    exitCode: 2,
  },
  {
    name: 'missing attribute names the expression',
    run: () => templater.renderString('{{ cfg.webserver.port }}', { cfg: { webserver: {} } }, { file: 'play.yml', line: 7 }),
    type: TemplateUndefinedError,
    describe: "play.yml:7: 'dict object' has no attribute 'port' (in cfg.webserver.port)",
    exitCode: 2,
  },
  {
    name: 'template string on a YAML line: lines count from that line',
    run: () => templater.renderString('x\n{{ nope }}', {}, { file: 'play.yml', line: 10 }),
    type: TemplateUndefinedError,
    describe: "play.yml:11: 'nope' is undefined",
    exitCode: 2,
  },
  {
    name: 'syntax error: bad input, exit 4',
    run: () => templater.renderText('ok\n{% if x %}\n', { x: 1 }, { file: 't.j2' }),
    type: TemplateSyntaxError,
    describe: 't.j2:2: template error while templating string',
    exitCode: 4,
  },
  {
    name: 'unknown filter: bad input',
    run: () => templater.renderString('{{ x | no_such_filter }}', { x: 1 }, { file: 'play.yml', line: 3 }),
    type: TemplateSyntaxError,
    describe: "play.yml:3: template error while templating string: No filter named 'no_such_filter'.",
    exitCode: 4,
  },
  {
    name: 'recursive variables: a render error naming the loop',
    run: () => templater.renderString('{{ a }}', { a: '{{ b }}', b: '{{ a }}' }, { file: 'vars.yml', line: 1 }),
    type: TemplateRenderError,
    describe: 'recursive loop detected in template string',
    exitCode: 2,
  },
];

describe('templater API: errors', () => {
  for (const c of errorCases) {
    it(c.name, () => {
      const err = caught(c.run) as Error & { describe(): string; exitCode: number };
      expect(err).to.be.instanceOf(c.type);
      expect(err.describe()).to.include(c.describe);
      expect(err.exitCode).to.equal(c.exitCode);
    });
  }

  it('words task-argument failures like Ansible', () => {
    const err = caught(() => templater.templateData({ port: '{{ p }}' }, {})) as TemplateUndefinedError;
    expect(taskArgErrorMessage(err)).to.equal(
      "The task includes an option with an undefined variable. The error was: 'p' is undefined",
    );
  });
});

describe('templater API: data and values', () => {
  it('returns untemplated data as is and templates nested strings natively', () => {
    const plain = { a: 1, b: ['x'] };
    expect(templater.templateData(plain, {})).to.equal(plain);
    expect(templater.templateData({ n: '{{ p }}', l: ['{{ q }}'], s: 'v{{ p }}' }, { p: 1, q: [2] })).to.deep.equal({
      n: 1, l: [[2]], s: 'v1',
    });
  });

  it('drops omitted dict entries, keeps omitted list items (like Ansible)', () => {
    expect(templater.templateData({ a: '{{ omit }}', b: { c: '{{ x | default(omit) }}' }, l: ['{{ omit }}'] }, {}))
      .to.deep.equal({ b: {}, l: [OMIT] });
  });

  it('evaluate() gives the native value of a bare expression', () => {
    expect(templater.evaluate("items | map(attribute='n') | list", { items: [{ n: 1 }, { n: 2 }] })).to.deep.equal([1, 2]);
    expect(templater.evaluate('x / 2', { x: 4 })).to.equal(2);
    expect(templater.evaluate('none', {})).to.equal(null);
  });

  it('isTemplated() spots templates in strings and structures', () => {
    const cases: [unknown, boolean][] = [
      ['plain', false], ['{{ x }}', true], ['{% if %}', true], ['{# c #}', true],
      [{ a: ['{{ x }}'] }, true], [[1, { b: 'c' }], false], [5, false], [null, false],
    ];
    for (const [value, expected] of cases) expect(isTemplated(value), JSON.stringify(value)).to.equal(expected);
  });

  it('evaluateCondition() accepts booleans, strings and lists (AND)', () => {
    const cases: [Parameters<typeof templater.evaluateCondition>[0], boolean][] = [
      [true, true], [false, false], [[], true], [['a', 'not b'], true], [['a', 'b'], false], [null, true], ['', true],
    ];
    for (const [cond, expected] of cases) {
      expect(templater.evaluateCondition(cond, { a: true, b: false }), JSON.stringify(cond)).to.equal(expected);
    }
  });
});

describe('templater API: hostvars', () => {
  it("templates another host's variables lazily, in that host's scope", () => {
    const hosts: Record<string, Record<string, unknown>> = {
      web1: { ansible_host: '10.0.0.{{ n }}', n: 1, broken: '{{ nope }}' },
      web2: { ansible_host: '10.0.0.{{ n }}', n: 2 },
    };
    const hostvars = templater.hostVars((h) => hosts[h], () => Object.keys(hosts));
    const vars = { hostvars, groups: { web: ['web1', 'web2'] }, n: 99 };
    expect(templater.renderString("{{ hostvars[groups['web'][1]].ansible_host }}", vars)).to.equal('10.0.0.2');
    expect(templater.renderString("{{ groups['web'] | map('extract', hostvars, 'n') | list }}", vars)).to.deep.equal([1, 2]);
    expect(templater.renderString("{{ 'web1' in hostvars }}", vars)).to.equal(true);
    expect(templater.renderString("{{ hostvars['web1'].broken | default('d') }}", vars)).to.equal('d');
    expect(() => templater.renderString("{{ hostvars['web9'].x }}", vars)).to.throw(TemplateUndefinedError);
  });
});

describe('templater API: proxies', () => {
  it('does not walk or template a Proxy variable as a whole (lazy views stay lazy)', () => {
    let reads = 0;
    const lazy = new Proxy({} as Record<string, unknown>, {
      get: (_t, k) => {
        reads++;
        return k === 'web1' ? { ip: '10.0.0.1' } : undefined;
      },
      ownKeys: () => ['web1', 'web2'],
      getOwnPropertyDescriptor: (_t, k) => (k === 'web1' || k === 'web2' ? { enumerable: true, configurable: true } : undefined),
    });
    expect(templater.renderString("{{ hv['web1'].ip }}", { hv: lazy, x: '{{ 1 }}' })).to.equal('10.0.0.1');
    expect(reads).to.equal(1);
  });
});

describe('templater API: renderFile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'falco-deploy-template-api-'));
    writeFileSync(path.join(dir, 'falco.yaml.j2'), '# {{ ansible_managed }}\n# {{ template_path }} {{ template_destpath }}\nport: {{ port }}\n');
    writeFileSync(path.join(dir, 'broken.j2'), 'a\n{% include "missing.j2" %}\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('provides the template module variables and finds files on the search path', async () => {
    const t = createTemplater({ searchPaths: [dir], ansibleManaged: 'Managed by falco-deploy' });
    const text = await t.renderFile('falco.yaml.j2', { port: 8765 }, { dest: '/etc/falco/falco.yaml' });
    expect(text).to.equal('# Managed by falco-deploy\n# falco.yaml.j2 /etc/falco/falco.yaml\nport: 8765\n');
  });

  it('reports a missing template as bad input', async () => {
    const t = createTemplater({ searchPaths: [dir] });
    let err: unknown;
    await t.renderFile('nope.j2', {}).catch((e: unknown) => {
      err = e;
    });
    expect((err as { exitCode: number }).exitCode).to.equal(4);
  });

  it('fails on a missing include', async () => {
    const t = createTemplater({ searchPaths: [dir] });
    let err: unknown;
    await t.renderFile('broken.j2', {}).catch((e: unknown) => {
      err = e;
    });
    expect(String((err as Error).message)).to.include('missing.j2');
  });
});

describe('templater API: the template lookup', () => {
  it('refuses Jinja delimiter options other than the defaults, accepts the defaults', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'falco-deploy-lookup-'));
    try {
      writeFileSync(path.join(dir, 't.j2'), '[[ x ]] {{ x }}');
      const t = createTemplater({ searchPaths: [dir] });
      expect(t.renderString("{{ lookup('template', 't.j2', variable_start_string='{{', variable_end_string='}}') }}", { x: 1 })).to.equal('[[ x ]] 1');
      for (const option of ['variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string']) {
        const err = caught(() => t.renderString(`{{ lookup('template', 't.j2', ${option}='[[') }}`, { x: 1 }));
        expect(err.message).to.include(`the template lookup's ${option} is not supported`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
