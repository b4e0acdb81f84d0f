/**
 * A small systemd sandbox fleet with Falco installed by playbooks/site.yml (stand-in package from
 * the local signed repo), for the alerts and rolling-update tests. Always torn down by `down()`.
 * FD_FLEET_PREFIX=x names the sandbox x-<name> (so people sharing a machine do not collide).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxDown, sandboxFault, sandboxUp, type FaultAction, type InventoryValue } from '../../../src/sandbox/index.js';
import { buildFalcoRepo, mirrorRepo, repoVars } from '../../../src/sandbox/falco-repo.js';
import { CLI, ScenarioContext, checkRecap } from '../../../molecule-like-fixtures/scenarios/lib/context.js';

export interface FalcoFleet {
  ctx: ScenarioContext;
  hosts: string[];
  /** falco-deploy SUBCOMMAND ... -i <fleet inventory>, waited for. */
  cli(args: string[]): { code: number; stdout: string; stderr: string };
  /** A long-running falco-deploy (e.g. alerts --follow): its output so far, and a Ctrl-C. */
  start(args: string[]): Running;
  fault(host: string, action: FaultAction): Promise<void>;
  down(): Promise<void>;
}

export interface Running {
  stdout(): string;
  stderr(): string;
  interrupt(): Promise<number | null>;
}

export async function falcoFleet(base: string, hosts: number, vars: Record<string, InventoryValue> = {}): Promise<FalcoFleet> {
  const name = process.env.FD_FLEET_PREFIX ? `${process.env.FD_FLEET_PREFIX}-${base}` : base;
  const work = mkdtempSync(join(tmpdir(), `fd-${name}-`));
  const dir = join(work, 'sandbox');
  const down = async () => {
    await sandboxDown({ name, dir });
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const repo = mirrorRepo() ?? buildFalcoRepo(join(work, 'repo'));
    const sandbox = await sandboxUp({
      name,
      kind: 'systemd',
      hosts,
      dir,
      bindMounts: [{ source: repo.dir, target: '/srv/falco-repo' }],
      inventoryVars: { ...repoVars(repo), ...vars },
    });
    const ctx = new ScenarioContext(sandbox, repo, (l) => process.env.FD_SCENARIO_LOG && console.log(l));
    checkRecap(ctx.run([]), { hosts: ctx.hosts, changed: 'some' });
    const withInventory = (args: string[]) => [CLI, ...args, '-i', sandbox.inventory];
    return {
      ctx,
      hosts: ctx.hosts,
      cli(args) {
        const r = spawnSync('node', withInventory(args), { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
        return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
      },
      start(args) {
        const child = spawn('node', withInventory(args), { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
        const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
        return {
          stdout: () => out,
          stderr: () => err,
          interrupt: async () => {
            child.kill('SIGINT');
            const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            const code = await exited;
            clearTimeout(timer);
            return code;
          },
        };
      },
      fault: (host, action) => sandboxFault(name, host, action, { dir }),
      down,
    };
  } catch (err) {
    await down();
    throw err;
  }
}
