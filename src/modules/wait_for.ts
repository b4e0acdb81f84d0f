import { failOnArgError, noProbesOnArgError } from '../argspec/plan-failure.js';
import type { ProbedFacts } from '../facts/request.js';
import type { ExecResult } from '../connectors/types.js';
import type { ModuleDefinition, Plan } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { conditionFunction, waitCondition } from '../facts/net.js';
import type { WaitTarget } from '../facts/net.js';
import { quote, sh } from '../shell/quote.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';

const waitForSpec: ModuleSpec = {
  args: {
    host: { type: 'str', default: '127.0.0.1' },
    timeout: { type: 'int', default: 300 },
    connect_timeout: { type: 'int', default: 5 },
    delay: { type: 'int', default: 0 },
    port: { type: 'int' },
    path: { type: 'path' },
    search_regex: { type: 'str' },
    state: { type: 'str', default: 'started', choices: ['absent', 'drained', 'present', 'started', 'stopped'] },
    sleep: { type: 'int', default: 1 },
    msg: { type: 'str' },
  },
};

interface WaitForArgs {
  host: string;
  timeout: number;
  connect_timeout: number;
  delay: number;
  port?: number;
  path?: string;
  search_regex?: string;
  state: 'absent' | 'drained' | 'present' | 'started' | 'stopped';
  sleep: number;
  msg?: string;
}

function args(raw: Record<string, unknown>): WaitForArgs & { target?: WaitTarget; until: boolean } {
  const a = validateArgs<WaitForArgs>(waitForSpec, raw, 'wait_for');
  if (a.port !== undefined && a.path !== undefined) throw new ArgumentError('port and path parameter can not both be passed to wait_for');
  if (a.path !== undefined && a.state === 'stopped') throw new ArgumentError('state=stopped should only be used for checking a port in the wait_for module');
  if (a.state === 'drained') throw new ArgumentError('state=drained is not supported by falco-deploy');
  if (a.port !== undefined && a.search_regex !== undefined) throw new ArgumentError('search_regex is only supported with path in falco-deploy');
  const target: WaitTarget | undefined =
    a.port !== undefined ? { host: a.host, port: a.port, connectTimeout: a.connect_timeout } : a.path !== undefined ? { path: a.path, searchRegex: a.search_regex } : undefined;
  // `until`: the condition we wait to become true (false for absent/stopped)
  return { ...a, target, until: a.state === 'started' || a.state === 'present' };
}

/** Ansible's timeout messages. */
function timeoutMessage(a: WaitForArgs): string {
  if (a.msg) return a.msg;
  if (a.state === 'absent' || a.state === 'stopped') return a.port !== undefined ? `Timeout when waiting for ${a.host}:${a.port} to stop.` : `Timeout when waiting for ${a.path} to be absent.`;
  if (a.path !== undefined) return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${a.path}` : `Timeout when waiting for file ${a.path}`;
  return `Timeout when waiting for ${a.host}:${a.port}`;
}

/** Remote loop: delay, then poll every `sleep` s until the condition holds or `timeout` s passed since the start. */
function waitScript(a: ReturnType<typeof args>): string {
  const lines = ['start=$(date +%s)', `end=$((start + ${a.timeout}))`];
  if (a.delay > 0) lines.push(`sleep ${a.delay}`);
  if (!a.target) {
    lines.push(`sleep ${a.timeout}`, 'echo "elapsed=$(( $(date +%s) - start ))"');
    return lines.join('\n');
  }
  const test = a.until ? 'cond' : '! cond';
  lines.push(
    conditionFunction(a.target),
    'while :; do',
    `  if ${test}; then echo "elapsed=$(( $(date +%s) - start ))"; exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$end" ]; then printf '%s\\n' ${quote(timeoutMessage(a))} >&2; echo "elapsed=$(( $(date +%s) - start ))"; exit 1; fi`,
    `  sleep ${a.sleep}`,
    'done',
  );
  return lines.join('\n');
}

function planWaitFor(raw: Record<string, unknown>, facts: ProbedFacts): Plan {
  const a = args(raw);
  const result = { state: a.state, port: a.port ?? null, path: a.path ?? null, search_regex: a.search_regex ?? null, elapsed: 0 };
  if (a.target && a.delay === 0) {
    const now = facts.get(waitCondition(a.target));
    if (now === a.until) return { commands: [], changed: false, result };
  }
  return {
    commands: [{ command: sh`sh -c ${waitScript(a)}`, readOnly: true, become: false, describe: `wait_for ${a.port !== undefined ? `${a.host}:${a.port}` : a.path ?? `${a.timeout}s`} (${a.state})` }],
    changed: false,
    result,
  };
}

export const waitForModule: ModuleDefinition = {
  name: 'wait_for',
  spec: waitForSpec,
  probes: (raw) => noProbesOnArgError(() => {
    const a = args(raw);
    return a.target && a.delay === 0 ? [waitCondition(a.target)] : [];
  }),
  plan: (raw, facts) => failOnArgError(() => planWaitFor(raw, facts)),
  finish: (raw, plan, results: ExecResult[]) => {
    const out: Record<string, unknown> = { ...(plan.result ?? {}), changed: false };
    const r = results[results.length - 1];
    if (!r) return out;
    const el = /^elapsed=(\d+)$/m.exec(r.stdout);
    if (el) out.elapsed = parseInt(el[1], 10);
    if (r.exitCode !== 0) Object.assign(out, { failed: true, msg: r.stderr.trim() || timeoutMessage(args(raw)) });
    return out;
  },
};
