import type { Argv } from 'yargs';
import type { GlobalArgs, Parsed } from './options.js';

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
export interface Command {
  command: string | string[];
  describe: string;
  builder: (y: Argv<GlobalArgs>) => Argv<unknown>;
  /** `args` is what yargs parsed with this command's builder. */
  run: (args: unknown, ctx: CommandContext) => Promise<number>;
}

/** The options the builder declares type the arguments `run` gets (no hand-kept copy of them). */
export function defineCommand<B>(c: {
  command: string | string[];
  describe: string;
  builder: (y: Argv<GlobalArgs>) => Argv<B>;
  run: (args: Parsed<B>, ctx: CommandContext) => Promise<number>;
}): Command {
  return { ...c, run: (args, ctx) => c.run(args as Parsed<B>, ctx) };
}
