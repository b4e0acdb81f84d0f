import type { ExecResult } from '../../connectors/types.js';

/** stdout/stderr as ansible-core's user and group modules add them: raw, and only when not empty. */
export function commandOutput(r: ExecResult | undefined): { stdout?: string; stderr?: string } {
  return { ...(r?.stdout ? { stdout: r.stdout } : {}), ...(r?.stderr ? { stderr: r.stderr } : {}) };
}

/** fail_json(name=..., msg=err[, rc=rc]) of a failed useradd/groupadd/... run; undefined when it succeeded. */
export function accountFailure(name: string, r: ExecResult | undefined, withRc: boolean): Record<string, unknown> | undefined {
  if (!r || r.exitCode === 0) return undefined;
  return { name, msg: r.stderr, ...(withRc ? { rc: r.exitCode } : {}), failed: true, changed: false };
}
