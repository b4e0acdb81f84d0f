/**
 * Secrets never reach output, --json, logs or diffs. Two rules:
 *  - by name: the value of a secret-named key in a result is shown as REDACTED;
 *  - by value: every secret VALUE (see addSecretValues) is replaced wherever it appears in a
 *    rendered string: a string equal to one is masked whole, and one of MIN_SECRET_LENGTH
 *    characters or more is also masked inside longer strings (a shorter one, like "1", would
 *    mask unrelated text).
 */
const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|private_?key|api_?key/i;
export const REDACTED = '********';
export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";
const MIN_SECRET_LENGTH = 4;
/** Flag-like values of secret-named settings (`vault_password_enabled: "yes"`) are not secrets. */
const NOT_SECRET = /^(true|false|yes|no|on|off|none|null)$/i;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy with secret-named keys masked and any known secret values replaced. */
export function redact<T>(value: T, secrets: ReadonlySet<string> = new Set()): T {
  return walk(value, secrets, true) as T;
}

/** Deep copy with known secret values replaced, keys left alone (events: stats are keyed by host). */
export function redactValues<T>(value: T, secrets: ReadonlySet<string>): T {
  return secrets.size ? (walk(value, secrets, false) as T) : value;
}

function walk(v: unknown, secrets: ReadonlySet<string>, byName: boolean): unknown {
  if (typeof v === 'string') return maskStrings(v, secrets);
  if (Array.isArray(v)) return v.map((x) => walk(x, secrets, byName));
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = byName && isSecretKey(k) && x !== undefined && x !== null && x !== '' ? REDACTED : walk(x, secrets, byName);
    }
    return out;
  }
  return v;
}

function maskStrings(s: string, secrets: ReadonlySet<string>): string {
  if (secrets.has(s)) return REDACTED;
  let out = s;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Every value under a secret-named key, at any depth (lists of passwords and maps under such a
 * key included), for masking wherever it appears.
 */
export function collectSecrets(vars: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(vars)) for (const v of vars) collectSecrets(v, into);
  else if (vars && typeof vars === 'object') {
    for (const [k, v] of Object.entries(vars)) {
      if (isSecretKey(k)) addSecretValues(v, into);
      else collectSecrets(v, into);
    }
  }
  return into;
}

/**
 * The leaves of a secret value: non-empty strings and numbers (as Ansible's no_log values);
 * booleans, null and flag words (true/yes/on...) are never secrets.
 */
export function addSecretValues(v: unknown, into: Set<string>): void {
  if (typeof v === 'string') {
    if (v !== '' && !NOT_SECRET.test(v.trim())) into.add(v);
  } else if (typeof v === 'number') {
    if (Number.isFinite(v)) into.add(String(v));
  } else if (Array.isArray(v)) {
    for (const x of v) addSecretValues(x, into);
  } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    for (const x of Object.values(v)) addSecretValues(x, into);
  }
}
