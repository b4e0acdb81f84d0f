/**
 * Walks test/cases/inventory/<case>/ and compares our inventory with what real Ansible printed
 * for the same files (expected.json, recorded by test/inventory/record-expectations.sh).
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.js';
import { loadInventory, type Inventory } from '../../src/inventory/index.js';
import { toPlainData } from '../../src/template/pyvalue.js';

const CASES = resolve(dirname(fileURLToPath(import.meta.url)), '../cases/inventory');

interface Check {
  list?: boolean;
  host?: string;
  graph?: string | boolean;
  vars?: boolean;
  pattern?: string;
  limit?: string;
  magic?: string;
}
interface CaseSpec {
  description: string;
  sources: string[];
  checks?: Check[];
  parseError?: boolean;
  /** Which Ansible plugin's failure our error must match (default by file extension). */
  expectPlugin?: string;
}
interface PluginFailure {
  file: string;
  line?: number;
  message: string;
}
interface Expected {
  checks?: Array<{ check: Check; json?: unknown; text?: string; hosts?: string[]; anyOrder?: boolean; error?: string }>;
  parseError?: { plugins: Record<string, PluginFailure> };
}

/** Every list of strings sorted: for results whose order Ansible does not keep stable. */
function sortedLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? [...value].sort() : value.map(sortedLists);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sortedLists(v)]));
  }
  return value;
}

export function caseSources(caseDir: string, sources: string[]): string[] {
  return sources.map((s) => (s.includes(',') && !existsSync(join(caseDir, s)) ? s : join(caseDir, s)));
}

/** `@retry.txt` in a case's limit is relative to the case folder. */
function caseLimit(caseDir: string, limit: string | undefined): string | undefined {
  return limit?.replace(/(^|[,:])@([^,:]+)/g, (_m, sep: string, file: string) => `${sep}@${join(caseDir, file)}`);
}

function runCheck(inventory: Inventory, caseDir: string, check: Check): unknown {
  if (check.list) return { json: inventory.toListJson() };
  if (check.host !== undefined) {
    const hosts = inventory.selectHosts(check.host);
    expect(hosts, `--host ${check.host} must match exactly one host`).to.have.length(1);
    return { json: inventory.hostJson(hosts[0]) };
  }
  if (check.graph !== undefined) {
    const group = check.graph === true ? 'all' : String(check.graph);
    return { text: inventory.graph({ group, vars: check.vars }) };
  }
  if (check.pattern !== undefined) {
    return { hosts: inventory.listHosts(check.pattern, caseLimit(caseDir, check.limit)) };
  }
  if (check.magic !== undefined) {
    const { group_names, groups, inventory_hostname_short } = inventory.magicVars(check.magic);
    return { json: { group_names, groups, inventory_hostname_short } };
  }
  throw new Error(`unknown check ${JSON.stringify(check)}`);
}

const YAML_SYNTAX = 'We were unable to read either as JSON nor YAML';

/**
 * Our error must carry the message of the plugin Ansible would use for that file (ini for INI
 * files, yaml for .yml/.yaml/.json), and the same line when Ansible names one.
 */
function expectParseError(err: unknown, spec: CaseSpec, plugins: Record<string, PluginFailure>): void {
  expect(err, 'an InputError').to.be.instanceOf(InputError);
  const e = err as InputError;
  const source = spec.sources[spec.sources.length - 1];
  const pluginName = spec.expectPlugin ?? (/\.(ya?ml|json)$/.test(source) ? 'yaml' : 'ini');
  const plugin = plugins[pluginName];
  expect(plugin, `Ansible recorded a ${pluginName} plugin failure`).to.not.equal(undefined);
  const yamlSyntax = plugin.message.startsWith(YAML_SYNTAX);
  expect(e.message).to.include(yamlSyntax ? 'YAML syntax error' : plugin.message);
  if (plugin.line !== undefined && yamlSyntax) {
    // PyYAML and the yaml package point at neighbouring lines for the same mistake.
    expect(e.line, 'error line').to.be.within(plugin.line - 1, plugin.line + 1);
  } else if (plugin.line !== undefined) {
    expect(e.line, 'error line').to.equal(plugin.line);
  }
  expect(e.file, 'error names the file').to.be.a('string');
  expect(e.file!.endsWith(plugin.file), `error file ${e.file}`).to.equal(true);
}

describe('inventory cases recorded from real Ansible', () => {
  const names = readdirSync(CASES).filter((d) => existsSync(join(CASES, d, 'expected.json'))).sort();
  it('has recorded cases', () => expect(names.length).to.be.greaterThan(0));

  for (const name of names) {
    const caseDir = join(CASES, name);
    const spec = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as CaseSpec;
    const expected = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as Expected;

    describe(`${name}: ${spec.description}`, () => {
      if (expected.parseError) {
        it('fails to load, naming what Ansible names', async () => {
          let caught: unknown;
          try {
            await loadInventory(caseSources(caseDir, spec.sources));
          } catch (err) {
            caught = err;
          }
          expectParseError(caught, spec, expected.parseError!.plugins);
        });
        return;
      }
      let inventory: Inventory;
      before(async () => {
        inventory = await loadInventory(caseSources(caseDir, spec.sources));
      });
      for (const recorded of expected.checks ?? []) {
        const { check, ...want } = recorded;
        it(JSON.stringify(check), () => {
          if (want.error !== undefined) {
            expect(() => runCheck(inventory, caseDir, check)).to.throw(want.error);
            return;
          }
          // expected.json is parsed JSON, where Python's 1500.0 is the number 1500 too
          const got = toPlainData(runCheck(inventory, caseDir, check)) as { hosts?: string[]; json?: unknown };
          if (want.anyOrder) {
            // Ansible itself was seen to order these hosts differently between runs.
            const { anyOrder: _unordered, ...rest } = want;
            expect(sortedLists(got)).to.deep.equal(sortedLists(rest));
            return;
          }
          expect(got).to.deep.equal(want);
          if (check.pattern !== undefined && check.limit !== undefined) {
            // The engine's form of the same question: play hosts narrowed by the limit's hosts.
            const limited = inventory.selectHosts(caseLimit(caseDir, check.limit)!);
            expect(inventory.selectHosts(check.pattern, limited)).to.deep.equal(want.hosts);
          }
        });
      }
    });
  }
});
