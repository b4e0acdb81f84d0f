/**
 * Ansible Vault decryption (ansible/parsing/vault: format 1.1 and 1.2, cipher AES256): the
 * envelope `$ANSIBLE_VAULT;1.2;AES256;label` over hex of `hex(salt)\nhex(hmac)\nhex(ciphertext)`;
 * PBKDF2-HMAC-SHA256 (10000 rounds) of the password and salt gives the AES-256-CTR key, the
 * HMAC-SHA256 key and the counter; PKCS7 padding. Secrets are tried as VaultLib tries them:
 * those whose vault id is the envelope's first, then the others.
 */
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export interface VaultSecret {
  /** The vault id (`--vault-id label@source`); `default` without a label. */
  id: string;
  password: string;
}

export class VaultError extends Error {}

const HEADER = '$ANSIBLE_VAULT';

export function isVaultText(text: string | Buffer): boolean {
  return typeof text === 'string' ? text.startsWith(HEADER) : text.subarray(0, HEADER.length).equals(Buffer.from(HEADER));
}

/** The plaintext of a vault envelope; VaultError with Ansible's words when no secret opens it. */
export function decryptVault(vaulttext: string, secrets: readonly VaultSecret[]): string {
  return decryptVaultBytes(vaulttext, secrets).toString('utf8');
}

/**
 * A controller file's bytes, decrypted when they are a vault envelope, as Ansible's loader reads
 * copy/template/unarchive sources (their `decrypt` option); binary plaintext stays binary.
 */
export function vaultDecryptedFile(bytes: Buffer, file: string): Buffer {
  if (!isVaultText(bytes)) return bytes;
  if (keyring.length === 0) throw new VaultError(`A vault password or secret must be specified to decrypt ${file}`);
  try {
    return decryptVaultBytes(bytes.toString('latin1'), keyring);
  } catch (err) {
    if (err instanceof VaultError) throw new VaultError(`${err.message} on ${file}`);
    throw err;
  }
}

function decryptVaultBytes(vaulttext: string, secrets: readonly VaultSecret[]): Buffer {
  const lines = vaulttext.trim().split(/\r?\n/);
  const header = lines[0]!.trim().split(';');
  if (header[0] !== HEADER || header.length < 3) throw new VaultError('Vault format error: not a vault envelope');
  if (header[2] !== 'AES256') throw new VaultError(`Vault format error: unsupported cipher ${header[2]}`);
  const id = header[1] === '1.2' && header[3] ? header[3] : 'default';
  if (secrets.length === 0) throw new VaultError('Attempting to decrypt but no vault secrets found');
  const [salt, hmac, ciphertext] = parseVaulttext(lines.slice(1).map((l) => l.trim()).join(''));
  const ordered = [...secrets.filter((s) => s.id === id), ...secrets.filter((s) => s.id !== id)];
  for (const secret of ordered) {
    const plain = decryptWith(secret.password, salt, hmac, ciphertext);
    if (plain !== undefined) return plain;
  }
  throw new VaultError('Decryption failed (no vault secrets were found that could decrypt)');
}

function unhexlify(hex: string, what: string): Buffer {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new VaultError(`Vault format unhexlify error: Non-hexadecimal digit found in the ${what}`);
  return Buffer.from(hex, 'hex');
}

function parseVaulttext(body: string): [Buffer, Buffer, Buffer] {
  const parts = unhexlify(body, 'vault body').toString('latin1').split('\n');
  if (parts.length < 3) throw new VaultError('Vault format error: the vault body has no salt, hmac and ciphertext');
  const [salt, hmac, ...rest] = parts;
  return [unhexlify(salt!, 'salt'), unhexlify(hmac!, 'hmac'), unhexlify(rest.join('\n'), 'ciphertext')];
}

/** The plaintext, or undefined when this password's HMAC does not match (the next secret is tried). */
function decryptWith(password: string, salt: Buffer, hmac: Buffer, ciphertext: Buffer): Buffer | undefined {
  const derived = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 10000, 80, 'sha256');
  const [key, hmacKey, iv] = [derived.subarray(0, 32), derived.subarray(32, 64), derived.subarray(64, 80)];
  const expected = createHmac('sha256', hmacKey).update(ciphertext).digest();
  if (expected.length !== hmac.length || !timingSafeEqual(expected, hmac)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', key, iv);
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  const pad = padded.at(-1) ?? 0;
  if (pad < 1 || pad > 16 || pad > padded.length || !padded.subarray(padded.length - pad).every((b) => b === pad)) {
    throw new VaultError('Vault format error: invalid padding');
  }
  return padded.subarray(0, padded.length - pad);
}

let keyring: readonly VaultSecret[] = [];

/** The secrets every later load decrypts with (the CLI sets them once per process or worker thread). */
export function useVaultSecrets(secrets: readonly VaultSecret[]): void {
  keyring = secrets;
}

export function vaultSecrets(): readonly VaultSecret[] {
  return keyring;
}
