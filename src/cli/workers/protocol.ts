/** Messages between `run --workers N`'s main thread and its workers (structured-cloned data only). */
import type { ExitCodeValue, Phase } from '../../errors.js';
import type { HostHealth } from '../../health/report.js';
import type { HostStats, RunEvent } from '../../output/events.js';
import type { RunArgs } from '../run-setup.js';
import type { VaultSecret } from '../../yaml/vault.js';

type PerHostStats = Extract<RunEvent, { type: 'stats' }>['perHost'];

export interface WorkerInput {
  args: RunArgs;
  index: number;
  /** host -> owning worker, for every host of the run (partition.ts). */
  owners: [string, number][];
  /** This worker's share of -f/--forks. */
  forks: number;
  /** -K: asked once by the main thread. */
  becomePassword?: string;
  /** The vault passwords the main thread read (the worker loads the same files). */
  vaultSecrets: VaultSecret[];
}

export type ToWorker =
  /** The worker's part of each serial batch of the play. */
  | { kind: 'plan'; batches: string[][] }
  | { kind: 'totals'; size: number; failed: number }
  | { kind: 'abort' };

export type FromWorker =
  | { kind: 'event'; event: RunEvent }
  /** A play starts: the worker's hosts of it (with their place in the play) and serial rendered for its first one. */
  | { kind: 'plan'; part: { host: string; at: number }[]; serial: unknown }
  /** The worker's part of a batch is done; it waits for `totals`. */
  | { kind: 'batch'; size: number; failed: number }
  | {
      kind: 'done';
      stats: Record<string, HostStats>;
      /** Failed or unreachable at the end (the retry file's hosts). */
      failedHosts: string[];
      perHost?: PerHostStats;
      health?: HostHealth[];
      interrupted: boolean;
    }
  | { kind: 'error'; message: string; exitCode: ExitCodeValue; phase?: Phase; host?: string; task?: string; file?: string; line?: number; column?: number };
