import type { Argv } from 'yargs';
import type { GlobalOptions } from './options.js';

export interface CommandContext {
  /** Aborted on SIGINT; long-running commands stop and return ExitCode.interrupted. */
  signal: AbortSignal;
  /**
   * A second SIGINT ends the process at once; what is registered here runs first (synchronously:
   * a last line of output, never anything that waits).
   */
  onForcedExit?: (lastWords: () => void) => void;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** One subcommand: a yargs builder for its own options and a handler returning an exit code. */
export interface Command<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  builder: (y: Argv<GlobalOptions>) => Argv<GlobalOptions & A>;
  run: (args: GlobalOptions & A, ctx: CommandContext) => Promise<number>;
}
