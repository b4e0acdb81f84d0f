/**
 * Fuzz of the inventory, playbook and template parsers: the repository's own cases, mutated by
 * a seeded PRNG (FUZZ_SEED=n reproduces a run; FUZZ_ROUNDS scales it). Whatever the input, a
 * parser either succeeds or throws one of the project's errors, quickly; the CLI exits 0, 4 or 5
 * and never prints an internal error.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { cli } from '../support/cli.js';
import { prng } from '../support/prng.js';
import { FalcoDeployError } from '../../src/errors.js';
import { loadInventory } from '../../src/inventory/index.js';
import { checkPlaybook } from '../../src/playbook/index.js';
import { createTemplater } from '../../src/template/index.js';
import { checkTemplate } from '../../src/template/check.js';

const CASES = resolve(fileURLToPath(new URL('../cases', import.meta.url)));
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261203);
const ROUNDS = Number(process.env['FUZZ_ROUNDS'] ?? 1);
/**
 * CPU time of one parse of one input: far above a normal parse (milliseconds), far below a hang or
 * a super-linear blow-up. CPU time, not wall time, so a loaded machine does not trip it.
 */
const SLOW_CPU_MS = 3000;

const TOKENS = [
  '&a ', '*a', '<<: *a\n', '[', ']', '{', '}', '{{', '}}', '{%', '%}', '{#', '#}', ': ', '- ', '\n', '\n  ', '\t', "'", '"', '\\',
  '!unsafe ', '!vault ', '!!python/object ', '? ', '|\n', '>-\n', '---\n', '...\n', '%YAML 1.1\n', 'host[1:9]', '[01:99]', 'x[a:z]',
  '[g:children]\n', '[g:vars]\n', 'ansible_port=', '=', ',', '\u0000', '\uFEFF', 'é', '0x1F', '0777', '1e400', '.nan', '~', 'null',
  '{{ x | nosuch }}', '{% for x in y %}', '{% endfor %}', 'x is nosuchtest', '(((', ')))', "{{ '", 'hosts: all\n', 'tasks:\n',
  'when: ', 'loop: ', 'block:\n', 'import_tasks: x.yml\n', 'roles: [nope]\n', '[[[[[[[[[[[[[[[[', '- - - - - - - - -',
];

function mutate(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (out.length + 1));
    const len = Math.floor(rand() * 12);
    switch (Math.floor(rand() * 6)) {
      case 0: out = out.slice(0, at) + TOKENS[Math.floor(rand() * TOKENS.length)] + out.slice(at); break;
      case 1: out = out.slice(0, at) + out.slice(at + len); break;
      case 2: out = out.slice(0, at) + out.slice(at, at + len).repeat(2 + Math.floor(rand() * 4)) + out.slice(at); break;
      case 3: out = out.slice(0, at) + String.fromCharCode(Math.floor(rand() * 128)) + out.slice(at + 1); break;
      case 4: out = out.slice(0, at) + TOKENS[Math.floor(rand() * TOKENS.length)]!.repeat(20 + Math.floor(rand() * 300)) + out.slice(at); break;
      default: {
        const from = Math.floor(rand() * out.length);
        out = out.slice(0, at) + out.slice(from, from + 40) + out.slice(at);
      }
    }
  }
  return out;
}

function filesUnder(dir: string, keep: (name: string) => boolean, limit = 400): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (keep(name) && out.length < limit) out.push(readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const inventorySeeds = filesUnder(join(CASES, 'inventory'), (n) => !n.endsWith('.json') || n !== 'expected.json').filter((t) => t.length < 4000);
const playbookSeeds = filesUnder(join(CASES, 'playbook'), (n) => /\.ya?ml$/.test(n) && n !== 'expected.yaml').filter((t) => t.length < 4000);
const templateSeeds = readdirSync(join(CASES, 'template'))
  .filter((n) => n.endsWith('.yaml'))
  .flatMap((n) => (parse(readFileSync(join(CASES, 'template', n), 'utf8')) as { template?: unknown; when?: unknown }[]) ?? [])
  .flatMap((c) => [c.template, c.when].flat())
  .filter((t): t is string => typeof t === 'string');

/** Runs `fn` on the input; only the project's errors may come out, and not slowly. */
async function expectContained(label: string, input: string, fn: () => unknown): Promise<void> {
  const started = process.cpuUsage();
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof FalcoDeployError)) {
      throw new Error(`${label} (FUZZ_SEED=${SEED}): ${String((err as Error)?.stack ?? err)}\ninput: ${JSON.stringify(input.slice(0, 2000))}`);
    }
  }
  const used = process.cpuUsage(started);
  const ms = Math.round((used.user + used.system) / 1000);
  expect(ms, `${label} took ${ms} ms of CPU (FUZZ_SEED=${SEED}); input: ${JSON.stringify(input.slice(0, 500))}`).to.be.below(SLOW_CPU_MS);
}

describe(`fuzz: parsers never crash or hang (FUZZ_SEED=${SEED})`, function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-fuzz-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('inventories (INI and YAML, through every inventory plugin)', async () => {
    const rand = prng(SEED);
    for (let i = 0; i < 400 * ROUNDS; i++) {
      const input = mutate(inventorySeeds[Math.floor(rand() * inventorySeeds.length)]!, rand);
      const file = join(dir, i % 2 ? 'hosts.yml' : 'hosts');
      writeFileSync(file, input);
      await expectContained('inventory', input, () => loadInventory([file]));
    }
  });

  it('playbooks (load and validation)', async () => {
    const rand = prng(SEED + 1);
    for (let i = 0; i < 400 * ROUNDS; i++) {
      const input = mutate(playbookSeeds[Math.floor(rand() * playbookSeeds.length)]!, rand);
      const file = join(dir, 'playbook.yml');
      writeFileSync(file, input);
      await expectContained('playbook', input, () => checkPlaybook(file));
    }
  });

  it('templates (load-time check and rendering)', async () => {
    const rand = prng(SEED + 2);
    const templater = createTemplater({ searchPaths: [dir] });
    const vars = { x: 1, y: [1, 2], d: { a: 'b' }, s: 'text', yaml: 'a: &a [1]\nb: *a\n' };
    for (let i = 0; i < 600 * ROUNDS; i++) {
      const input = mutate(templateSeeds[Math.floor(rand() * templateSeeds.length)]!, rand);
      await expectContained('template check', input, () => checkTemplate(input, i % 3 === 0 ? 'expr' : i % 3 === 1 ? 'vars' : 'text', { file: 'fuzz', line: 1 }));
      await expectContained('template render', input, () => templater.renderString(input, vars));
    }
  });

  it('the CLI (inventory --list, run --syntax-check) exits 0, 4 or 5, never with an internal error', async () => {
    const rand = prng(SEED + 3);
    const inventory = join(dir, 'cli-hosts');
    const playbook = join(dir, 'cli-playbook.yml');
    for (let i = 0; i < 40 * ROUNDS; i++) {
      const inv = mutate(inventorySeeds[Math.floor(rand() * inventorySeeds.length)]!, rand);
      const pb = mutate(playbookSeeds[Math.floor(rand() * playbookSeeds.length)]!, rand);
      writeFileSync(inventory, inv);
      writeFileSync(playbook, pb);
      for (const argv of [['inventory', '--list', '-i', inventory], ['run', playbook, '-i', inventory, '--syntax-check']]) {
        const { code, stderr } = await cli(argv);
        const context = `falco-deploy ${argv.join(' ')} (FUZZ_SEED=${SEED}, case ${i})\ninventory: ${JSON.stringify(inv.slice(0, 800))}\nplaybook: ${JSON.stringify(pb.slice(0, 800))}\n${stderr}`;
        expect([0, 4, 5], context).to.include(code);
        expect(stderr, context).not.to.match(/internal error|RangeError|at .*\.ts:\d+/);
      }
    }
  });
});
