import { failOnArgError } from '../argspec/plan-failure.js';
import type { ProbedFacts } from '../facts/request.js';
import type { ModuleDefinition, Plan } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { rpmGpgKeys } from '../facts/repos.js';
import { sh } from '../shell/quote.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';
import { fetchAndVerifyLines, normalizeFingerprint, scriptPrologue } from './system/key-script.js';

const rpmKeySpec: ModuleSpec = {
  args: {
    key: { type: 'str', required: true, noLog: false },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    validate_certs: { type: 'bool', default: true },
    fingerprint: { type: 'list', elements: 'str' },
  },
};

interface RpmKeyArgs {
  key: string;
  state: 'absent' | 'present';
  validate_certs: boolean;
  fingerprint?: string[];
}

const KEYID = /^(0x)?[0-9a-f]{8,16}$/i;

function args(raw: Record<string, unknown>) {
  const a = validateArgs<RpmKeyArgs>(rpmKeySpec, raw, 'rpm_key');
  const fingerprints = (a.fingerprint ?? []).map(normalizeFingerprint);
  // rpm names imported keys gpg-pubkey-<last 8 hex of the fingerprint>
  const keyid = fingerprints.length
    ? fingerprints[0].slice(-8).toLowerCase()
    : KEYID.test(a.key)
      ? a.key.replace(/^0x/i, '').slice(-8).toLowerCase()
      : undefined;
  return { ...a, fingerprints, keyid };
}

function planRpmKey(raw: Record<string, unknown>, facts: ProbedFacts): Plan {
  const a = args(raw);
  const keys = facts.get(rpmGpgKeys());
  const present = a.keyid !== undefined && keys.some((k) => k.version === a.keyid);
  if (a.state === 'absent') {
    if (a.keyid === undefined) throw new ArgumentError('state=absent needs the key id (key: 0xDEADB33F) or a fingerprint');
    if (!present) return { commands: [], changed: false };
    return { commands: [{ command: sh`rpm --erase --allmatches ${`gpg-pubkey-${a.keyid}`}` }], changed: true };
  }
  if (KEYID.test(a.key)) throw new ArgumentError(`key ${a.key} is a key id: give a URL or a path to import`);
  if (present) return { commands: [], changed: false };
  // without a fingerprint the key id is only known after the download: import unless present, report
  const lines = [...scriptPrologue(), ...fetchAndVerifyLines(a.key, a.fingerprints)];
  if (!a.fingerprints.length) {
    lines.push(
      `id=$(printf '%s\\n' "$got" | head -n 1 | tail -c 9 | tr 'A-F' 'a-f')`,
      'if rpm -q "gpg-pubkey-$id" >/dev/null 2>&1; then echo unchanged; exit 0; fi',
    );
  }
  lines.push('rpm --import "$work/key"', 'echo imported');
  return {
    commands: [{ command: sh`sh -c ${lines.join('\n')}`, describe: `rpm --import ${a.key}` }],
    changed: true,
  };
}

export const rpmKeyModule: ModuleDefinition = {
  name: 'rpm_key',
  spec: rpmKeySpec,
  probes: () => [rpmGpgKeys()],
  plan: (raw, facts) => failOnArgError(() => planRpmKey(raw, facts)),
  finish: (_raw, plan, results) => {
    const r = results[results.length - 1];
    if (!r) return { changed: plan.changed };
    if (r.exitCode !== 0) return { changed: false, failed: true, rc: r.exitCode, msg: r.stderr.trim() };
    return { changed: !/^unchanged$/m.test(r.stdout) };
  },
};
