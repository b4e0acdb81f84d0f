import { failOnArgError, noProbesOnArgError } from '../argspec/plan-failure.js';
import type { ProbedFacts } from '../facts/request.js';
import type { ModuleDefinition, Plan } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { keyringFingerprints } from '../facts/repos.js';
import { sh } from '../shell/quote.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';
import { installKeyringScript, normalizeFingerprint } from './system/key-script.js';

/**
 * Our own module: an apt `signed-by` keyring, installed only after its fingerprint is verified
 * on the host (download -> gpg --show-keys -> compare -> dearmor -> atomic rename).
 */
const signingKeySpec: ModuleSpec = {
  args: {
    url: { type: 'str' },
    dest: { type: 'path', required: true },
    fingerprint: { type: 'list', elements: 'str' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  },
  requiredIf: [['state', 'present', ['url', 'fingerprint']]],
};

interface SigningKeyArgs {
  url?: string;
  dest: string;
  fingerprint?: string[];
  state: 'present' | 'absent';
}

function args(raw: Record<string, unknown>): SigningKeyArgs & { fingerprints: string[] } {
  // a fingerprint with spaces is one value: do not let the list conversion split it on commas only
  const a = validateArgs<SigningKeyArgs>(signingKeySpec, raw, 'signing_key');
  if (!a.dest.startsWith('/')) throw new ArgumentError(`dest must be an absolute path, got: ${a.dest}`);
  return { ...a, fingerprints: (a.fingerprint ?? []).map(normalizeFingerprint) };
}

function planSigningKey(raw: Record<string, unknown>, facts: ProbedFacts): Plan {
  const a = args(raw);
  const current = facts.get(keyringFingerprints(a.dest));
  const result: Record<string, unknown> = { dest: a.dest, fingerprints_before: current.all };
  if (a.state === 'absent') {
    if (!current.exists) return { commands: [], changed: false, result };
    return { commands: [{ command: sh`rm -f -- ${a.dest}` }], changed: true, result };
  }
  if (current.exists && !current.gpgMissing && a.fingerprints.some((f) => current.all.includes(f))) {
    return { commands: [], changed: false, result: { ...result, fingerprint: a.fingerprints[0] } };
  }
  const script = installKeyringScript(a.url!, a.dest, a.fingerprints);
  return {
    commands: [{ command: sh`sh -c ${script}`, describe: `install keyring ${a.dest} from ${a.url} (fingerprint ${a.fingerprints.join(' or ')})` }],
    changed: true,
    result: { ...result, fingerprint: a.fingerprints[0] },
  };
}

export const signingKeyModule: ModuleDefinition = {
  name: 'signing_key',
  spec: signingKeySpec,
  probes: (raw) => noProbesOnArgError(() => [keyringFingerprints(args(raw).dest)]),
  plan: (raw, facts) => failOnArgError(() => planSigningKey(raw, facts)),
  joinsBatch: true,
  finish: (_raw, plan, results) => {
    const out: Record<string, unknown> = { ...(plan.result ?? {}), changed: plan.changed };
    const r = results[results.length - 1];
    if (r && r.exitCode !== 0) Object.assign(out, { failed: true, rc: r.exitCode, msg: r.stderr.trim() });
    return out;
  },
};
