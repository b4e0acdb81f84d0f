import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadInventory } from '../../src/inventory/index.js';
import { checkPlaybook, validateArgs, parseExtraVars, selectByTags } from '../../src/playbook/index.js';
import { findModule, moduleNames } from '../../src/modules/registry.js';
import type { ModuleDefinition } from '../../src/modules/contract.js';
import { createTemplater } from '../../src/template/index.js';
import { playbookRuntime } from '../../src/engine/playbook-runtime.js';
import { runPlaybook, type RunOutcome } from '../../src/engine/run.js';
import type { RunEvent } from '../../src/output/events.js';
import { LocalProvider } from './local-connection.js';

interface LocalRun extends RunOutcome {
  events: RunEvent[];
  dir: string;
  provider: LocalProvider;
  results(task: string): Extract<RunEvent, { type: 'host_result' }>[];
}

/** Writes `files` (playbook.yml, inventory, roles/...) into a temp dir and runs the playbook locally. */
export async function runLocal(
  files: Record<string, string>,
  opts: { check?: boolean; diff?: boolean; extraVars?: string[]; tags?: string[]; skipTags?: string[]; limit?: string; unreachable?: string[]; forks?: number; startAtTask?: string; dir?: string; secrets?: Set<string>; become?: boolean; onConnect?: (host: string) => void; signal?: AbortSignal; provider?: LocalProvider; modules?: ModuleDefinition[] } = {},
): Promise<LocalRun> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'fd-engine-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text.replaceAll('$DIR', dir));
  }
  const inventory = await loadInventory([join(dir, 'inventory.ini')]);
  const find = (name: string) => opts.modules?.find((m) => m.name === name) ?? findModule(name);
  const playbook = checkPlaybook(join(dir, 'playbook.yml'), {
    modules: { findModule: find, moduleNames: () => [...moduleNames(), ...(opts.modules ?? []).map((m) => m.name)] },
  });
  const templater = createTemplater({ searchPaths: [dir] });
  const events: RunEvent[] = [];
  const provider = opts.provider ?? new LocalProvider(new Set(opts.unreachable ?? []), opts.onConnect);
  const outcome = await runPlaybook({
    playbook,
    runtime: playbookRuntime(templater),
    inventory,
    reloadInventory: () => loadInventory([join(dir, 'inventory.ini')]),
    templater,
    connections: provider,
    emit: (e) => events.push(e),
    secrets: opts.secrets,
    signal: opts.signal,
    options: {
      check: opts.check ?? false,
      diff: opts.diff ?? false,
      extraVars: parseExtraVars(opts.extraVars ?? [], dir),
      verbose: 0,
      forks: opts.forks ?? 10,
      forceHandlers: false,
      limit: opts.limit,
      startAtTask: opts.startAtTask,
      become: opts.become,
      tagFilter: (tags) => selectByTags({ tags }, { tags: opts.tags, skipTags: opts.skipTags }),
      findModule: find,
      coerceArgs: (spec, a, module) => validateArgs(spec, a, module),
    },
  });
  const results = (task: string) =>
    events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result' && e.task === task);
  return { ...outcome, events, dir, provider, results };
}
