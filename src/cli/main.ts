import yargs from 'yargs';
import type { Argv } from 'yargs';
import { ExitCode, FalcoDeployError } from '../errors.js';
import type { CommandContext } from './command.js';
import { withGlobalOptions, type GlobalArgs } from './options.js';
import { commands } from './commands/index.js';

/** Runs the CLI and resolves to the process exit code (see docs/exit-codes.md). */
export async function main(argv: string[], io: Partial<CommandContext> = {}): Promise<number> {
  const controller = new AbortController();
  const lastWords: (() => void)[] = [];
  const onSigint = () => {
    if (controller.signal.aborted) {
      for (const say of lastWords) {
        try {
          say();
        } catch {
          /* exiting anyway */
        }
      }
      process.exit(ExitCode.interrupted);
    }
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const ctx: CommandContext = {
    signal: io.signal ?? controller.signal,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    onForcedExit: io.onForcedExit ?? ((say) => lastWords.push(say)),
  };
  let usageError: string | undefined;
  // The command chosen by the parse; it runs only once the whole command line is known to be valid.
  let chosen: { cmd: (typeof commands)[number]; args: unknown } | undefined;

  let parser: Argv<GlobalArgs> = withGlobalOptions(yargs(argv))
    .scriptName('falco-deploy')
    .strict()
    .demandCommand(1, 'Name a subcommand; see --help')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      // Only yargs' own validation reaches here: commands run after the parse.
      usageError = msg ?? err?.message ?? 'invalid usage';
    })
    .exitProcess(false);

  for (const cmd of commands) {
    parser = parser.command(
      cmd.command,
      cmd.describe,
      (y) => cmd.builder(y),
      (args) => {
        chosen = { cmd, args };
      },
    );
  }

  skipHelpCache(parser);
  try {
    await parser.parseAsync();
    if (usageError !== undefined) {
      ctx.stderr.write(`falco-deploy: ${usageError}\nRun falco-deploy --help for usage.\n`);
      return ExitCode.badUsage;
    }
    if (!chosen) return ExitCode.ok; // --help, --version
    await useVaultPasswords(chosen.args as GlobalArgs);
    const exitCode = await chosen.cmd.run(chosen.args, ctx);
    if (controller.signal.aborted) return ExitCode.interrupted;
    return exitCode;
  } catch (err) {
    if (err instanceof FalcoDeployError) {
      ctx.stderr.write(`falco-deploy: ${err.describe(verbosity(argv) > 0)}\n`);
      return err.exitCode;
    }
    if (controller.signal.aborted) return ExitCode.interrupted;
    ctx.stderr.write(`falco-deploy: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    return ExitCode.internalError;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * yargs renders the whole help text once a command is chosen and keeps it for a later showHelp(),
 * which this CLI never calls (--help renders it afresh): ~60 ms of CPU (cliui, string-width) on
 * every command. Internal yargs API: when a yargs version lacks it, the help is just rendered.
 */
function skipHelpCache(parser: Argv<GlobalArgs>): void {
  const internal = parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = internal.getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/** Vault passwords (options, environment, ansible.cfg), read before any file is loaded: the loader decrypts with them. */
async function useVaultPasswords(args: GlobalArgs): Promise<void> {
  const { vaultSecretsFrom } = await import('./vault-secrets.js');
  const { processSources } = await import('./ansible-cfg.js');
  const prompt = async (question: string) => (await import('../connectors/secret-prompt.js')).terminalSecretPrompt()(question);
  const options = { vaultId: args['vault-id'], vaultPasswordFile: args['vault-password-file'], askVaultPassword: args['ask-vault-password'] };
  const secrets = await vaultSecretsFrom(options, prompt, processSources());
  if (secrets.length) (await import('../yaml/vault.js')).useVaultSecrets(secrets);
}

function verbosity(argv: string[]): number {
  return argv.filter((a) => /^-v+$/.test(a)).reduce((n, a) => n + a.length - 1, 0) + (argv.includes('--verbose') ? 1 : 0);
}
