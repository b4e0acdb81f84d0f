/** What one health probe found on a host (parse-probe.ts), before any judgement (verdict.ts). */

export interface UnitState {
  id: string;
  loadState: string;
  /** enabled, disabled, masked, static... ('' when the unit does not exist). */
  unitFileState: string;
  activeState: string;
  subState: string;
  restarts: number;
  /** Seconds since the unit became active (only while active). */
  uptimeSeconds?: number;
}

export interface HttpAnswer {
  /** HTTP status, or 'disabled' (webserver off), 'noclient' (no curl/wget), 'error' (no answer). */
  code: number | 'disabled' | 'noclient' | 'error';
  body: string;
}

export interface RulesFile {
  path: string;
  /** null when listed in rules_files but missing or unreadable. */
  sha256: string | null;
}

export interface AlertCount {
  /** `2026-12-03T16:05` (UTC). */
  minute: string;
  priority: string;
  rule: string;
  count: number;
}

export interface AlertScan {
  /** file_output.filename ('' when not set). */
  file: string;
  fileOutputEnabled: boolean;
  jsonOutput: boolean;
  /** Whether the file was read (exists and is readable). */
  read: boolean;
  since?: string;
  counts: AlertCount[];
  malformed: number;
  nDrops: number;
  /** The last lines of the file, oldest first, when a tail was asked for. */
  tail?: AlertLine[];
}

export interface AlertLine {
  time: string;
  priority: string;
  rule: string;
  output: string;
}

export interface HealthProbe {
  os: { id?: string; versionId?: string; prettyName?: string };
  kernel: string;
  /** Host clock, epoch seconds. */
  now: number;
  falcoBinary?: string;
  configFiles: string[];
  /** The effective configuration, flattened (`webserver.listen_port` -> '8765'). */
  config: Record<string, string>;
  units: Record<string, UnitState>;
  kmodModules: string[];
  btf: boolean;
  /** null: /proc/kallsyms was not readable. */
  ringbuf: boolean | null;
  healthz: HttpAnswer;
  versions: HttpAnswer;
  /** First line of `falco --version` when /versions did not answer. */
  falcoVersionCli?: string;
  rules: RulesFile[];
  alerts: AlertScan;
}
