import type { ExecResult } from '../../connectors/types.js';
import type { Plan } from '../contract.js';
import { backupFileFrom } from './atomic-write.js';

/**
 * Result of a file-changing module: the planned result + backup_file, or the failure, which
 * changed nothing (the write is atomic: the target is untouched), so `changed: false` as Ansible.
 */
export function finishFileChange(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(plan.result ?? {}), changed: plan.changed };
  for (const r of results) {
    const backup = backupFileFrom(r.stdout);
    if (backup) out.backup_file = backup;
  }
  const bad = results.find((r) => r.exitCode !== 0);
  if (bad) {
    out.failed = true;
    out.changed = false;
    out.rc = bad.exitCode;
    out.msg = bad.stderr.trim() || `command failed with exit code ${bad.exitCode}`;
    out.stderr = bad.stderr;
    out.stdout = bad.stdout;
  }
  return out;
}
