import type { ExecResult } from '../connectors/types.js';

/** A read-only probe: a shell snippet and a pure parser of its output. */
export interface FactRequest<T = unknown> {
  /** The factory's registered name (factFactories, test/cases/facts/<fact>/). */
  fact: string;
  /** What identifies the probe: the factory's arguments by name, defaults filled in. */
  args: FactArgs;
  /** Identical keys are probed once per host and shared between tasks. */
  key: string;
  command: string;
  parse(result: ExecResult): T;
  /** Needs root to read (e.g. a 0600 file). */
  become?: boolean;
  /** Probes that carry file content may print more than the default output limit. */
  maxOutputBytes?: number;
}

type FactArgs = Readonly<Record<string, unknown>>;

/** fact, args and the key built from them: every factory sets all three here, so they cannot disagree. */
export function factIdentity(fact: string, args: FactArgs): Pick<FactRequest, 'fact' | 'args' | 'key'> {
  return { fact, args, key: `${fact}:${JSON.stringify(args)}` };
}

/** Fact factories by name (used by the table-driven fact tests and by modules). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each fact takes its own argument shape
export type FactFactory = (args: any) => FactRequest;

/** What a task's probes returned, read back by request: `facts.get(fileStat(...))` has fileStat's type. */
export class ProbedFacts {
  constructor(private readonly byKey: Readonly<Record<string, unknown>>) {}

  get<T>(request: FactRequest<T>): T {
    if (!(request.key in this.byKey)) throw new Error(`fact ${request.key} was not probed`);
    return this.byKey[request.key] as T;
  }
}
