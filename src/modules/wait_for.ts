import { failOnArgError, noProbesOnArgError } from '../argspec/plan-failure.js';
import type { ProbedFacts } from '../facts/request.js';
import type { ExecResult } from '../connectors/types.js';
import type { ModuleDefinition, Plan } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { conditionFunction, metReport, parseMet, waitCondition } from '../facts/net.js';
import type { WaitMet, WaitTarget } from '../facts/net.js';
import { pythonRegex } from '../python/re.js';
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
  if (a.search_regex !== undefined) {
    try {
      pythonRegex(a.search_regex, 'm');
    } catch (e) {
      throw new ArgumentError(`Invalid regular expression: ${(e as Error).message}`);
    }
  }
  // `until`: the condition we wait to become true (false for absent/stopped, which ignore search_regex as Ansible does)
  const until = a.state === 'started' || a.state === 'present';
  const searchRegex = until ? a.search_regex : undefined;
  const target: WaitTarget | undefined =
    a.port !== undefined ? { host: a.host, port: a.port, connectTimeout: a.connect_timeout, searchRegex } : a.path !== undefined ? { path: a.path, searchRegex } : undefined;
  return { ...a, target, until };
}

/** Ansible's timeout messages. */
function timeoutMessage(a: WaitForArgs): string {
  if (a.msg) return a.msg;
  if (a.state === 'absent' || a.state === 'stopped') return a.port !== undefined ? `Timeout when waiting for ${a.host}:${a.port} to stop.` : `Timeout when waiting for ${a.path} to be absent.`;
  if (a.path !== undefined) return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${a.path}` : `Timeout when waiting for file ${a.path}`;
  return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${a.host}:${a.port}` : `Timeout when waiting for ${a.host}:${a.port}`;
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
  const report = a.until ? metReport(a.target) : '';
  lines.push(
    conditionFunction(a.target),
    'while :; do',
    // a port's answer is read for at most the time left (at least 1 s), as the module does
    '  READ_S=$((end - $(date +%s))); [ "$READ_S" -ge 1 ] || READ_S=1',
    `  if ${test}; then echo "elapsed=$(( $(date +%s) - start ))"; ${report || ':'}; exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$end" ]; then printf '%s\\n' ${quote(timeoutMessage(a))} >&2; echo "elapsed=$(( $(date +%s) - start ))"; exit 1; fi`,
    `  sleep ${a.sleep}`,
    'done',
  );
  return lines.join('\n');
}

/**
 * The module's exit_json: match_groups / match_groupdict from the line the regex matched, and for a
 * path that exists its stat (add_path_info: uid, gid, owner, group, mode, state, size).
 */
function metResult(a: ReturnType<typeof args>, met: WaitMet, elapsed: number): Record<string, unknown> {
  const out: Record<string, unknown> = { elapsed, match_groupdict: {}, match_groups: [], path: a.path ?? null, port: a.port ?? null, search_regex: a.search_regex ?? null, state: a.state };
  const m = a.search_regex !== undefined && met.matchLine !== undefined ? pythonRegex(a.search_regex, 'm').exec(met.matchLine) : null;
  if (m) {
    out.match_groups = m.slice(1).map((g) => g ?? null);
    if (m.groups) out.match_groupdict = Object.fromEntries(Object.entries(m.groups).map(([k, v]) => [k, v ?? null]));
  }
  const info = met.pathInfo;
  if (info) {
    Object.assign(out, { uid: Number(info.uid), gid: Number(info.gid), owner: info.owner, group: info.group, mode: `0${(info.mode ?? '').padStart(3, '0')}`, state: info.ftype, size: Number(info.size) });
  }
  return out;
}

/**
 * Whether the condition is asked with the other probes first (converged: no command). Not with a
 * delay, and not for a port's answer: reading it may take connect_timeout and would hold up the batch.
 */
function probed(a: ReturnType<typeof args>): boolean {
  return a.target !== undefined && a.delay === 0 && !(a.target.port !== undefined && a.target.searchRegex !== undefined);
}

function planWaitFor(raw: Record<string, unknown>, facts: ProbedFacts): Plan {
  const a = args(raw);
  const result = metResult(a, {}, 0);
  if (probed(a)) {
    const now = facts.get(waitCondition(a.target!));
    if (a.until && now !== false) return { commands: [], changed: false, result: metResult(a, now, 0) };
    if (!a.until && now === false) return { commands: [], changed: false, result };
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
    return probed(a) ? [waitCondition(a.target!)] : [];
  }),
  plan: (raw, facts) => failOnArgError(() => planWaitFor(raw, facts)),
  finish: (raw, plan, results: ExecResult[]) => {
    const r = results[results.length - 1];
    if (!r) return { ...(plan.result ?? {}), changed: false };
    const el = /^elapsed=(\d+)$/m.exec(r.stdout);
    const elapsed = el ? parseInt(el[1]!, 10) : 0;
    // a failure reports only its message and the time spent (fail_json)
    if (r.exitCode !== 0) return { changed: false, elapsed, failed: true, msg: r.stderr.trim() || timeoutMessage(args(raw)) };
    return { ...metResult(args(raw), parseMet(r.stdout), elapsed), changed: false };
  },
};
