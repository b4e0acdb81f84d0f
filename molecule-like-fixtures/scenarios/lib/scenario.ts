import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxDown, sandboxUp, type InventoryValue, type SandboxKind } from '../../../src/sandbox/index.js';
import { ScenarioContext } from './context.js';
import { buildFalcoRepo, mirrorRepo, repoVars, type FalcoRepo } from '../../../src/sandbox/falco-repo.js';

/** A molecule-like scenario: create -> converge -> idempotence -> verify -> destroy. */
export interface Scenario {
  name: string;
  description: string;
  kind: SandboxKind;
  hosts: number;
  /** Bind the stand-in repo into the hosts and point the role at it (false: air-gapped hosts). */
  repoAccess: boolean;
  vars?: (repo: FalcoRepo) => Record<string, InventoryValue>;
  /** converge, idempotence and verify; throw to fail. */
  test(ctx: ScenarioContext): Promise<void>;
  /** Scenarios whose hosts are not sandbox hosts (the QEMU VM) create and destroy them themselves. */
  runStandalone?(opts: { keep?: boolean; log?: (l: string) => void; repo?: FalcoRepo }): Promise<ScenarioTiming>;
}

export interface ScenarioTiming {
  name: string;
  createMs: number;
  testMs: number;
  destroyMs: number;
}

export async function runScenario(s: Scenario, opts: { keep?: boolean; log?: (l: string) => void; repo?: FalcoRepo } = {}): Promise<ScenarioTiming> {
  if (s.runStandalone) return s.runStandalone(opts);
  const log = opts.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), `fd-scenario-${s.name}-`));
  const repo = opts.repo ?? mirrorRepo() ?? buildFalcoRepo(join(work, 'repo'));
  const name = `sc-${s.name}`.slice(0, 12);
  const t0 = Date.now();
  log(`[${s.name}] create: ${s.hosts} ${s.kind} host(s)`);
  let testMs = 0;
  let createMs = 0;
  let destroyMs = 0;
  try {
    const sandbox = await sandboxUp({
      name,
      kind: s.kind,
      hosts: s.hosts,
      dir: join(work, 'sandbox'),
      bindMounts: s.repoAccess ? [{ source: repo.dir, target: '/srv/falco-repo' }] : [],
      inventoryVars: { ...(s.repoAccess ? repoVars(repo) : {}), ...(s.vars?.(repo) ?? {}) },
    });
    createMs = Date.now() - t0;
    const t1 = Date.now();
    await s.test(new ScenarioContext(sandbox, repo, (l) => log(`[${s.name}] ${l}`)));
    testMs = Date.now() - t1;
  } finally {
    const t2 = Date.now();
    if (!opts.keep) {
      log(`[${s.name}] destroy`);
      await sandboxDown({ name, dir: join(work, 'sandbox') });
      rmSync(work, { recursive: true, force: true });
    }
    destroyMs = Date.now() - t2;
    log(`[${s.name}] create ${(createMs / 1000).toFixed(1)} s, converge+verify ${(testMs / 1000).toFixed(1)} s, destroy ${(destroyMs / 1000).toFixed(1)} s`);
  }
  return { name: s.name, createMs, testMs, destroyMs };
}
