import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxInfo } from '../../../src/sandbox/index.js';
import type { RunEvent } from '../../../src/output/events.js';
import type { FalcoRepo } from '../../../src/sandbox/falco-repo.js';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const CLI = resolve(ROOT, 'bin/falco-deploy.js');
export const SITE = resolve(ROOT, 'playbooks/site.yml');

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  events: RunEvent[];
  recap: Record<string, { ok: number; changed: number; failed: number; unreachable: number }>;
}

export class ScenarioContext {
  constructor(
    readonly sandbox: SandboxInfo,
    readonly repo: FalcoRepo,
    readonly log: (line: string) => void,
  ) {}

  get hosts(): string[] {
    return this.sandbox.hosts.map((h) => h.name);
  }

  /** `falco-deploy run` exactly as a user runs it (JSON events parsed), or plain with json=false. */
  run(args: string[], opts: { json?: boolean } = {}): RunResult {
    const json = opts.json ?? true;
    const r = spawnSync('node', [CLI, 'run', SITE, '-i', this.sandbox.inventory, ...(json ? ['--json'] : []), ...args], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const events = json ? r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunEvent) : [];
    const recapEvent = events.find((e) => e.type === 'recap') as Extract<RunEvent, { type: 'recap' }> | undefined;
    return { exitCode: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, events, recap: recapEvent?.stats ?? {} };
  }

  /** A command on a host over the sandbox's own OpenSSH config (strict host keys). */
  ssh(host: string, command: string): { code: number; out: string; err: string } {
    const r = spawnSync('ssh', ['-F', this.sandbox.sshConfig, '-o', 'BatchMode=yes', host, command], { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  }

  sshOk(host: string, command: string): string {
    const r = this.ssh(host, command);
    if (r.code !== 0) throw new Error(`${host}: \`${command}\` exited ${r.code}: ${r.err.trim()}`);
    return r.out;
  }

  async eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Every host ok, none failed/unreachable, and (for idempotence) none changed. */
export function checkRecap(r: RunResult, opts: { changed?: 'none' | 'some'; hosts: string[] }): void {
  check(r.exitCode === 0, `run exited ${r.exitCode}\n${r.stderr}\n${failures(r)}`);
  for (const h of opts.hosts) {
    const s = r.recap[h];
    check(s, `no recap for ${h}`);
    check(s.failed === 0 && s.unreachable === 0, `${h}: failed=${s.failed} unreachable=${s.unreachable}`);
    if (opts.changed === 'none') check(s.changed === 0, `${h}: changed=${s.changed} on a second run:\n${changedTasks(r, h)}`);
    if (opts.changed === 'some') check(s.changed > 0, `${h}: nothing changed on the first run`);
  }
}

function failures(r: RunResult): string {
  return r.events
    .filter((e) => e.type === 'host_result' && (e.status === 'failed' || e.status === 'unreachable'))
    .map((e) => JSON.stringify(e))
    .join('\n');
}

function changedTasks(r: RunResult, host: string): string {
  return r.events
    .filter((e) => e.type === 'host_result' && e.host === host && e.status === 'changed')
    .map((e) => `  ${(e as { task: string }).task}`)
    .join('\n');
}
