/**
 * reboot, as ansible-core 2.14's action plugin: read the boot id, run the reboot command (the
 * connection may drop under it), wait until the boot id changes (reconnecting: new connection,
 * new persistent shell), then until the test command passes; each wait up to reboot_timeout.
 */
import { posix } from 'node:path';
import { InterruptedError } from '../errors.js';
import type { ExecResult } from '../connectors/types.js';
import type { ProbedFacts } from '../facts/request.js';
import { setupFacts } from '../facts/setup.js';
import { quote } from '../shell/quote.js';
import type { HostSession, ModuleContext, ModuleDefinition, Plan } from './contract.js';
import { backoffMs, checkBootTimeCommand, distributionOf, messages, RebootError, rebootArgs, type RebootArgs, type ShutdownChoice } from './system/reboot-plan.js';

const ARG_NAMES = ['boot_time_command', 'connect_timeout', 'msg', 'post_reboot_delay', 'pre_reboot_delay', 'reboot_command', 'reboot_timeout', 'search_paths', 'test_command'];

/** What the plugin's wait loop gives up with. */
class TimedOut extends Error {}

type Result = Record<string, unknown>;

async function drive(raw: Result, facts: ProbedFacts, host: HostSession, ctx: ModuleContext): Promise<Result> {
  const action = ctx.action ?? 'reboot';
  if (host.transport === 'local') return { changed: false, elapsed: 0, rebooted: false, failed: true, msg: messages.local(action) };
  if (ctx.check) return { changed: true, elapsed: 0, rebooted: true };
  try {
    const a = rebootArgs(raw, distributionOf(facts.get(setupFacts())));
    let previous: string;
    try {
      checkBootTimeCommand(raw);
      previous = await bootTime(host, a.bootTimeCommand, action);
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      return { failed: true, reboot: false, msg: (err as Error).message };
    }
    return await rebootAndWait(host, a, previous, action);
  } catch (err) {
    if (err instanceof RebootError) return { failed: true, msg: err.message };
    throw err;
  }
}

async function rebootAndWait(host: HostSession, a: RebootArgs, previous: string, action: string): Promise<Result> {
  const choice = a.shutdown();
  const command = `${choice.searchPaths ? await findProgram(host, choice) : choice.program} ${choice.args}`;
  // The connection dropping under the reboot command is the reboot happening.
  const outcome = await host.exec(command).catch((err: unknown) => {
    if (err instanceof InterruptedError) throw err;
    return undefined;
  });
  const start = host.now();
  const elapsed = () => Math.floor((host.now() - start) / 1000);
  if (outcome && outcome.exitCode !== 0) {
    return { failed: true, rebooted: false, msg: messages.rebootFailed(outcome.stdout, outcome.stderr), start: pyUtcTime(start), elapsed: elapsed() };
  }
  if (a.postRebootDelay > 0) await host.sleep(a.postRebootDelay * 1000);
  try {
    await waitAfterReboot(host, a, previous, action, outcome === undefined);
  } catch (err) {
    if (err instanceof TimedOut) return { failed: true, rebooted: true, msg: err.message, elapsed: elapsed() };
    throw err;
  }
  return { rebooted: true, changed: true, elapsed: elapsed() };
}

/** validate_reboot: the boot id changes, then the test command passes; a lost connection is opened again. */
async function waitAfterReboot(host: HostSession, a: RebootArgs, previous: string, action: string, lost: boolean): Promise<void> {
  let stale = lost;
  const run = async (command: string): Promise<ExecResult> => {
    if (stale) {
      await host.reconnect(a.connectTimeout);
      stale = false;
    }
    return host.exec(command).catch((err: unknown) => {
      stale = true;
      throw err;
    });
  };
  await untilSuccess(host, a.rebootTimeout, 'last boot time check', async () => {
    // As the plugin: with connect_timeout every check starts on a new connection that uses it.
    if (a.connectTimeout) stale = true;
    const r = await run(a.bootTimeCommand);
    if (r.exitCode !== 0) throw new RebootError(messages.bootTimeFailed(action, r));
    const current = r.stdout.trim();
    if (current === '' || current === previous) throw new RebootError('boot time has not changed');
  });
  // back to the usual connect timeout
  if (a.connectTimeout) stale = true;
  await untilSuccess(host, a.rebootTimeout, 'post-reboot test command', async () => {
    const r = await run(a.testCommand);
    if (r.exitCode !== 0) throw new RebootError(messages.testFailed(r.stdout, r.stderr));
  });
}

/** do_until_success_or_timeout: any failure is retried after a growing pause until `timeout` s have passed. */
async function untilSuccess(host: HostSession, timeout: number, what: 'last boot time check' | 'post-reboot test command', attempt: () => Promise<void>): Promise<void> {
  const end = host.now() + timeout * 1000;
  for (let failures = 0; host.now() < end; failures++) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
    }
    await host.sleep(backoffMs(failures, host.random()));
  }
  throw new TimedOut(messages.timedOut(what, timeout));
}

async function bootTime(host: HostSession, command: string, action: string): Promise<string> {
  const r = await host.exec(command);
  if (r.exitCode !== 0) throw new RebootError(messages.bootTimeFailed(action, r));
  return r.stdout.trim();
}

/** The find module the plugin runs: the first search path (a directory) holding the program. */
async function findProgram(host: HostSession, choice: ShutdownChoice): Promise<string> {
  const paths = choice.searchPaths!;
  const tests = paths.map((dir) => {
    const path = posix.normalize(posix.join(dir, choice.program));
    return `if [ -d ${quote(dir)} ] && { [ -e ${quote(path)} ] || [ -L ${quote(path)} ]; }; then printf '%s\\n' ${quote(path)}; exit 0; fi`;
  });
  const r = await host.exec([...tests, 'exit 1'].join('\n'));
  const found = r.stdout.trim();
  if (r.exitCode !== 0 || !found) throw new RebootError(messages.notFound(choice.program, paths));
  return found;
}

/** str(datetime.utcnow()): the `start` a failed reboot command leaves in the result. */
function pyUtcTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

export const rebootModule: ModuleDefinition = {
  name: 'reboot',
  // The plugin has no argument spec: values are read as given (int(), string checks of its own).
  spec: { args: Object.fromEntries(ARG_NAMES.map((n) => [n, { type: 'raw' as const }])) },
  probes: (_args, ctx) => (ctx.check ? [] : [setupFacts()]),
  plan: (): Plan => ({ commands: [], changed: false, failed: 'reboot runs through drive(), not a plan' }),
  drive,
};
