/**
 * Config drift (`health --playbook`): the files the playbook would write on a host (worked out on
 * the controller, src/engine/desired-files.ts) against the sha256 of what the host has, plus rules
 * files Falco loads from a rules directory that the playbook does not write. Pure.
 */
import type { DesiredState } from '../engine/desired-files.js';
import type { RulesFile } from './model.js';

export interface DriftedFile {
  path: string;
  /** missing: the playbook writes it, the host lacks it; differs: other content; unmanaged: a loaded rules file the playbook does not write. */
  reason: 'missing' | 'differs' | 'unmanaged';
  /** The writing task's file:line (missing, differs). */
  source?: string;
}

export interface DriftReport {
  playbook: string;
  /** in-sync: every file the playbook writes matches; unknown: see reason. */
  status: 'in-sync' | 'drifted' | 'unknown';
  /** How many files the playbook writes under the root (compared). */
  managed: number;
  files: DriftedFile[];
  reason?: string;
}

interface HostFiles {
  /** sha256 of every regular file under the root, by path (null: the probe could not read it). */
  hashes: Map<string, string | null>;
  /** Rules files Falco loads (the health probe's rules list). */
  rules: RulesFile[];
  /** The effective config's rules_files entries: a loaded file not listed itself came from a directory. */
  rulesEntries: string[];
}

export function compareDrift(playbook: string, root: string, desired: DesiredState, host: HostFiles): DriftReport {
  if (!desired.known) return { playbook, status: 'unknown', managed: 0, files: [], reason: desired.reason };
  const unreadable = desired.files.filter((f) => host.hashes.get(f.path) === null).map((f) => f.path);
  if (unreadable.length) {
    return { playbook, status: 'unknown', managed: desired.files.length, files: [], reason: `cannot read ${unreadable.join(', ')} on the host (-b/--become reads as root)` };
  }
  const files: DriftedFile[] = [];
  const written = new Set<string>();
  for (const f of desired.files) {
    written.add(f.path);
    const actual = host.hashes.get(f.path);
    if (actual === undefined) files.push({ path: f.path, reason: 'missing', source: f.source });
    else if (actual !== f.sha256) files.push({ path: f.path, reason: 'differs', source: f.source });
  }
  const listed = new Set(host.rulesEntries);
  const prefix = root.endsWith('/') ? root : `${root}/`;
  for (const r of host.rules) {
    if (r.path.startsWith(prefix) && !listed.has(r.path) && !written.has(r.path)) files.push({ path: r.path, reason: 'unmanaged' });
  }
  return { playbook, status: files.length ? 'drifted' : 'in-sync', managed: desired.files.length, files };
}

/** The effective config's `rules_files` entries from the flattened config (`rules_files[0]=...`). */
export function rulesEntries(config: Record<string, string>): string[] {
  return Object.entries(config)
    .filter(([k]) => /^rules_files\[\d+\]$/.test(k))
    .map(([, v]) => v);
}

/** The problem a drifted host is reported with (the host is degraded by it). */
export function driftProblem(d: DriftReport): string | undefined {
  if (d.status !== 'drifted') return undefined;
  return `config drift: ${d.files.map((f) => `${f.path} ${f.reason === 'unmanaged' ? 'not written by the playbook' : f.reason}`).join(', ')}`;
}
