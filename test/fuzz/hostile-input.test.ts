/**
 * Hostile input in every place YAML/JSON is read (inventories, group_vars, playbooks,
 * vars_files, -e @file, from_yaml/from_json) and huge host ranges: a clear error naming the
 * file and line, in bounded time, never a hang, a crash or a stack trace.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.js';
import { ExitCode, InputError } from '../../src/errors.js';
import { parseExtraVars } from '../../src/playbook/index.js';
import { playbookRuntime } from '../../src/engine/playbook-runtime.js';
import { createTemplater, TemplateRenderError, TemplateSyntaxError } from '../../src/template/index.js';
import { checkTemplate } from '../../src/template/check.js';

const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  ...'bcdefghi'.split('').map((name, i) => {
    const prev = 'abcdefghi'[i]!;
    return `${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`;
  }),
].join('\n');

const HOSTILE: Record<string, { text: string; message: RegExp; line: number }> = {
  'alias bomb': { text: `${BOMB}\n`, message: /aliases expand to more than 100000 values/, line: 5 },
  'self-referencing alias': { text: 'a: &x\n  b: *x\n', message: /alias \*x refers to its own anchor/, line: 2 },
  'flow nesting 6000 deep': { text: `a: ${'['.repeat(6000)}${']'.repeat(6000)}\n`, message: /nested more than 200 levels deep/, line: 1 },
  'block nesting 5000 deep': { text: `${'- '.repeat(5000)}x\n`, message: /nested more than 200 levels deep/, line: 1 },
  'indented nesting 3000 deep': {
    text: Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x\n',
    message: /nested more than 200 levels deep/,
    line: 201,
  },
};

describe('hostile input: clear errors in bounded time', function () {
  this.timeout(20_000);
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const playbook = () => file('pb.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-hostile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, { text, message, line }] of Object.entries(HOSTILE)) {
    describe(name, () => {
      it('as a YAML inventory: exit 4 at file:line', async () => {
        const inv = file('hosts.yml', text);
        const { code, stderr } = await cli(['inventory', '--list', '-i', inv]);
        expect(code).to.equal(ExitCode.badInput);
        expect(stderr).to.match(message).and.include(`${inv}:${line}`);
      });

      it('in group_vars: exit 4 at file:line', async () => {
        const inv = file('hosts', '[web]\nw1\n');
        mkdirSync(join(dir, 'group_vars'));
        const vars = file('group_vars/web.yml', text);
        const { code, stderr } = await cli(['inventory', '--list', '-i', inv]);
        expect(code).to.equal(ExitCode.badInput);
        expect(stderr).to.match(message).and.include(`${vars}:${line}`);
      });

      it('as a playbook: --syntax-check exits 4 at file:line', async () => {
        const pb = file('bad.yml', text);
        const { code, stderr } = await cli(['run', pb, '-i', file('hosts', 'w1\n'), '--syntax-check']);
        expect(code).to.equal(ExitCode.badInput);
        expect(stderr).to.match(message).and.include(`${pb}:${line}`);
      });

      it('as -e @file and as a vars_files file: InputError at file:line', () => {
        const vars = file('vars.yml', text);
        for (const load of [() => parseExtraVars([`@${vars}`], dir), () => playbookRuntime(createTemplater({ searchPaths: [] })).readVarsFiles([vars], dir, {})]) {
          expect(load).to.throw(InputError, message).that.satisfies((e: InputError) => e.file === vars && e.line === line);
        }
      });

      it('through from_yaml: the task fails with the reason', () => {
        const t = createTemplater({ searchPaths: [] });
        expect(() => t.renderString('{{ x | from_yaml }}', { x: text })).to.throw(TemplateRenderError, message);
      });
    });
  }

  it('from_json of data nested 100000 deep fails the task, no stack overflow', () => {
    const t = createTemplater({ searchPaths: [] });
    const x = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => t.renderString('{{ x | from_json }}', { x })).to.throw(TemplateRenderError, /nested more than 200 levels deep/);
  });

  it('a JSON inventory nested 10000 deep: exit 4 naming the file', async () => {
    const inv = file('hosts.json', `{"all": {"vars": {"x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}}`);
    const { code, stderr } = await cli(['inventory', '--list', '-i', inv]);
    expect(code).to.equal(ExitCode.badInput);
    expect(stderr).to.match(/nested more than 200 levels deep/).and.include(inv);
  });

  for (const [kind, name, text, line] of [
    ['INI', 'hosts', '[web]\nhost[1:1000000]\n', 2],
    ['YAML', 'hosts.yml', 'all:\n  hosts:\n    h[1:1000]x[1:1000]:\n', 3],
  ] as const) {
    // The message is the bound: expansion stops at the 100001st host.
    it(`a ${kind} host range of a million hosts: exit 4 at file:line, before expanding it`, async () => {
      const inv = file(name, text);
      const { code, stderr } = await cli(['run', playbook(), '-i', inv, '--syntax-check']);
      expect(code).to.equal(ExitCode.badInput);
      expect(stderr).to.include(`${inv}:${line}`).and.match(/host range expands to more than 100000 hosts/);
    });
  }

  // Found by test/fuzz/parsers.fuzz.test.ts.
  for (const [name, template] of [
    ['30 nested brackets (the parser re-parsed each one: exponential)', `{{ r.stdout${'['.repeat(30)} | length > 0 }}`],
    ['3000 nested brackets (a look-ahead per bracket: quadratic)', `{{ x | f(y${'['.repeat(3000)} }}`],
    ['a quote inside a name (pasted into generated JavaScript)', '{{ x | m"ndatory }}'],
    ['a tree the compiler cannot compile', '{{/(x | from_json.nan).a }}'],
  ] as const) {
    it(`template with ${name}: a syntax error at load and at render, at once`, () => {
      const started = process.cpuUsage();
      expect(() => checkTemplate(template, 'vars', { file: 'play.yml', line: 3 })).to.throw(TemplateSyntaxError).with.property('file', 'play.yml');
      expect(() => createTemplater({ searchPaths: [] }).renderString(template, { x: 1 })).to.throw(TemplateSyntaxError);
      const used = process.cpuUsage(started);
      expect((used.user + used.system) / 1000, 'CPU ms').to.be.below(1000);
    });
  }

  it('ordinary aliases, merge keys and moderate nesting still load', async () => {
    const inv = file('hosts.yml', 'all:\n  vars:\n    base: &b {port: 22, deep: [[[[[[1]]]]]]}\n    web: {<<: *b, extra: *b}\n  hosts:\n    w[1:3]:\n');
    const { code, stdout } = await cli(['inventory', '--list', '-i', inv]);
    expect(code).to.equal(ExitCode.ok);
    expect(JSON.parse(stdout)._meta.hostvars.w2.web).to.deep.equal({ port: 22, deep: [[[[[[1]]]]]], extra: { port: 22, deep: [[[[[[1]]]]]] } });
  });
});
