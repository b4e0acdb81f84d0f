/**
 * Runs modules against THIS machine the way the engine does over SSH, minus SSH: probes and planned
 * commands go through `sh -c` locally (same POSIX sh), stdin included.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExecResult } from '../../../src/connectors/types.js';
import type { ModuleContext, Plan, PlannedCommand } from '../../../src/modules/contract.js';
import { findModule } from '../../../src/modules/registry.js';
import { describeRequest, runProbes } from '../../support/fact-fixtures.js';

export function runLocal(command: string, stdin?: string | Buffer): ExecResult & { stdoutBytes: Buffer } {
  const t = Date.now();
  const r = spawnSync('sh', ['-c', command], { input: Buffer.from(stdin ?? ''), encoding: 'buffer' });
  // A command that exits before reading all its stdin (a copy into a missing directory) gives
  // EPIPE here; over SSH the remote shell discards the rest, so only the exit status counts.
  if (r.error && !((r.error as NodeJS.ErrnoException).code === 'EPIPE' && r.status !== null)) throw r.error;
  return { stdout: r.stdout.toString(), stdoutBytes: r.stdout, stderr: r.stderr.toString(), exitCode: r.status ?? 128, durationMs: Date.now() - t };
}

/** A planned command, with its streamed stdin/stdout files (read/written whole: test files are small). */
function runPlanned(c: PlannedCommand): ExecResult {
  const r = runLocal(c.command, c.stdinFile !== undefined ? readFileSync(c.stdinFile) : c.stdin);
  if (c.stdoutFile === undefined) return r;
  mkdirSync(dirname(c.stdoutFile), { recursive: true });
  writeFileSync(c.stdoutFile, r.stdoutBytes);
  return { ...r, stdout: '' };
}

export function localContext(over: Partial<ModuleContext> = {}, files: Record<string, string> = {}): ModuleContext {
  return {
    host: 'localhost',
    facts: {},
    check: false,
    diff: false,
    become: false,
    renderTemplate: async (src) => {
      if (!(src in files)) throw new Error(`no template ${src}`);
      return files[src];
    },
    readLocalFile: async (src) => {
      if (!(src in files)) throw new Error(`no file ${src}`);
      return Buffer.from(files[src]);
    },
    resolveLocalPath: (src) => src,
    playbookDir: process.cwd(),
    ...over,
  };
}

interface LocalRun {
  plan: Plan;
  results: ExecResult[];
  result: Record<string, unknown>;
}

/** probe -> plan -> apply (stops at the first failing command, like the engine). */
export async function applyModule(name: string, args: Record<string, unknown>, ctx: ModuleContext = localContext()): Promise<LocalRun> {
  const mod = findModule(name);
  if (!mod) throw new Error(`no module ${name}`);
  const facts = await runProbes(await mod.probes(args, ctx), (p) => {
    const r = runLocal(p.command);
    if (r.exitCode !== 0) throw new Error(`probe ${describeRequest(p)} failed: ${r.stderr}`);
    return r;
  });
  const plan = await mod.plan(args, facts, ctx);
  const results: ExecResult[] = [];
  if (!plan.failed && !ctx.check) {
    for (const c of plan.commands) {
      const r = runPlanned(c);
      results.push(r);
      if (!(c.okExitCodes ?? [0]).includes(r.exitCode)) break;
    }
  }
  const result = mod.finish ? await mod.finish(args, plan, results, ctx) : {};
  return { plan, results, result };
}
