/**
 * ONE runner for every module case file: test/cases/modules/<module>/<case>.yaml
 *
 *   description: what the case shows
 *   args: { ... }                       # module args, templated; checked by the production validator first
 *   context: { check, diff, become, facts: { os_family: Debian, ... } }   # optional
 *   templates: { "<src>": "<rendered text>" }   # what ctx.renderTemplate(src) returns
 *   files: { "<src>": "<content>" }              # what ctx.readLocalFile(src) returns
 *   facts:                              # one answer per probe the module requests, no more
 *     - fact: file_stat                 # the fact's name (test/cases/facts/<fact>/)
 *       args: { path: /etc/x }          # optional: some of its args, each deep-equal to the request's
 *       value: { exists: false }        # the parsed fact value
 *   expect:
 *     probes: [ { fact, args }, ... ]   # optional: the probes requested, in order (args matched as in facts)
 *     changed: true|false
 *     commands: [ "<exact command>" | { command?, command_match?, env?, stdin?, become? } ]
 *     failed: "<substring of plan.failed>"
 *     warnings: [ "<substring>" ]
 *     diff: [ { path, before, after } ]   # optional subset
 *     result: { ... }                     # optional subset of plan.result
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { findModule } from '../../src/modules/registry.js';
import { ArgumentError, validateArgs } from '../../src/argspec/validate.js';
import type { ModuleContext, PlannedCommand } from '../../src/modules/contract.js';
import { loadCases } from '../support/cases.js';
import { describeRequest, fixtureFacts, matchesRequest, type FactMatch } from '../support/fact-fixtures.js';

interface ExpectedCommand {
  command?: string;
  command_match?: string;
  env?: Record<string, string>;
  stdin?: string;
  become?: boolean;
}

interface ModuleCase {
  description?: string;
  args: Record<string, unknown>;
  context?: { check?: boolean; diff?: boolean; become?: boolean; facts?: Record<string, unknown> };
  templates?: Record<string, string>;
  files?: Record<string, string>;
  facts?: unknown;
  expect: {
    probes?: FactMatch[];
    changed?: boolean;
    commands?: (string | ExpectedCommand)[];
    failed?: string;
    warnings?: string[];
    diff?: Record<string, unknown>[];
    result?: Record<string, unknown>;
  };
}

const root = fileURLToPath(new URL('../cases/modules', import.meta.url));

function contextFor(c: ModuleCase): ModuleContext {
  return {
    host: 'test-host',
    facts: c.context?.facts ?? {},
    check: c.context?.check ?? false,
    diff: c.context?.diff ?? false,
    become: c.context?.become ?? false,
    renderTemplate: async (src) => {
      const t = c.templates?.[src];
      if (t === undefined) throw new Error(`case has no templates["${src}"]`);
      return t;
    },
    readLocalFile: async (src) => {
      const f = c.files?.[src];
      if (f === undefined) throw new Error(`case has no files["${src}"]`);
      return Buffer.from(f);
    },
    resolveLocalPath: (src) => src,
  };
}

function checkCommand(actual: PlannedCommand, want: string | ExpectedCommand, where: string) {
  const w: ExpectedCommand = typeof want === 'string' ? { command: want } : want;
  if (w.command !== undefined) expect(actual.command, where).to.equal(w.command);
  if (w.command_match !== undefined) expect(actual.command, where).to.match(new RegExp(w.command_match));
  if (w.env !== undefined) expect(actual.env ?? {}, where).to.deep.equal(w.env);
  if (w.stdin !== undefined) expect(actual.stdin?.toString(), where).to.equal(w.stdin);
  if (w.become !== undefined) expect(actual.become ?? false, where).to.equal(w.become);
}

describe('module plans (table-driven)', () => {
  for (const c of loadCases<ModuleCase>(root)) {
    it(`${c.group}: ${c.name}${c.data.description ? ` — ${c.data.description}` : ''}`, async () => {
      const mod = findModule(c.group);
      expect(mod, `no module named ${c.group}`).to.not.equal(undefined);
      const ctx = contextFor(c.data);
      const want = c.data.expect;
      // as the engine does after templating: the production validator, its failure fails the task
      let args: Record<string, unknown>;
      try {
        args = validateArgs(mod!.spec, c.data.args, mod!.name);
      } catch (err) {
        if (!(err instanceof ArgumentError) || want.failed === undefined) throw err;
        expect(err.message).to.include(want.failed);
        return;
      }
      const probes = await mod!.probes(args, ctx);
      if (want.probes) {
        const requested = probes.map(describeRequest).join('; ');
        expect(probes.length, `probes requested: ${requested}`).to.equal(want.probes.length);
        want.probes.forEach((w, i) => expect(matchesRequest(w, probes[i]), `probe ${i} is ${describeRequest(probes[i])}, not ${describeRequest(w)}`).to.equal(true));
      }
      const plan = await mod!.plan(args, fixtureFacts(probes, c.data.facts ?? [], relative(process.cwd(), c.file)), ctx);
      if (want.failed !== undefined) {
        expect(plan.failed ?? '').to.include(want.failed);
      } else {
        expect(plan.failed, 'plan failed unexpectedly').to.equal(undefined);
      }
      if (want.changed !== undefined) expect(plan.changed, 'changed').to.equal(want.changed);
      if (want.commands !== undefined) {
        expect(plan.commands.map((x) => x.command), 'number of commands').to.have.length(want.commands.length);
        want.commands.forEach((w, i) => checkCommand(plan.commands[i], w, `command ${i}`));
      }
      for (const w of want.warnings ?? []) {
        expect((plan.warnings ?? []).join('\n')).to.include(w);
      }
      if (want.diff) {
        expect(plan.diff ?? []).to.have.length(want.diff.length);
        want.diff.forEach((d, i) => expect(plan.diff![i]).to.deep.include(d));
      }
      if (want.result) expect(plan.result ?? {}).to.deep.include(want.result);
    });
  }
});
