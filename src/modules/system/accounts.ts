import type { ExecResult } from '../../connectors/types.js';
import { splitLines } from '../files/run-command.js';

/** stdout/stderr as ansible-core's user and group modules add them (raw, only when not empty), with the *_lines the executor adds. */
export function commandOutput(r: ExecResult | undefined): Record<string, unknown> {
  return {
    ...(r?.stdout ? { stdout: r.stdout, stdout_lines: splitLines(r.stdout) } : {}),
    ...(r?.stderr ? { stderr: r.stderr, stderr_lines: splitLines(r.stderr) } : {}),
  };
}

/** fail_json(name=..., msg=err[, rc=rc]) of a failed useradd/groupadd/... run; undefined when it succeeded. */
export function accountFailure(name: string, r: ExecResult | undefined, withRc: boolean): Record<string, unknown> | undefined {
  if (!r || r.exitCode === 0) return undefined;
  return { name, msg: r.stderr, ...(withRc ? { rc: r.exitCode } : {}), failed: true, changed: false };
}
