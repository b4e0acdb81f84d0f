/** Values of these keys never reach output, --json, logs or diffs. */
const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|private_?key|api_?key/i;
export const REDACTED = '********';
export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy with secret-named keys masked and any known secret string values replaced. */
export function redact<T>(value: T, secrets: ReadonlySet<string> = new Set()): T {
  return walk(value, secrets) as T;
}

function walk(v: unknown, secrets: ReadonlySet<string>): unknown {
  if (typeof v === 'string') return maskStrings(v, secrets);
  if (Array.isArray(v)) return v.map((x) => walk(x, secrets));
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) && x !== undefined && x !== null && x !== '' ? REDACTED : walk(x, secrets);
    return out;
  }
  return v;
}

function maskStrings(s: string, secrets: ReadonlySet<string>): string {
  let out = s;
  for (const secret of secrets) {
    if (secret.length >= 3 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Every string value stored under a secret-named key, for masking wherever it appears. */
export function collectSecrets(vars: Record<string, unknown>, into = new Set<string>()): Set<string> {
  for (const [k, v] of Object.entries(vars)) {
    if (isSecretKey(k) && typeof v === 'string' && v.length >= 3) into.add(v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) collectSecrets(v as Record<string, unknown>, into);
  }
  return into;
}
