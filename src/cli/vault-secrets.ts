/**
 * Vault passwords as ansible-playbook gathers them (CLI.build_vault_ids, get_file_vault_secret):
 * each --vault-id `[label@]source`, then each --vault-password-file, then --ask-vault-password,
 * or, when none is given, ANSIBLE_VAULT_PASSWORD_FILE / ansible.cfg's `vault_password_file`. A
 * source is `prompt`, an executable script (its stdout; a `*-client` script is asked
 * `--vault-id label`) or a file (its text, stripped).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, extname } from 'node:path';
import { InputError } from '../errors.js';
import { ansiblePath, ansibleSetting, type ConfigSources } from './ansible-cfg.js';
import type { VaultSecret } from '../yaml/vault.js';

interface VaultOptions {
  vaultId?: string[];
  vaultPasswordFile?: string[];
  askVaultPassword?: boolean;
}

const DEFAULT_ID = 'default';
const VAULT_PASSWORD_FILE = { env: 'ANSIBLE_VAULT_PASSWORD_FILE', section: 'defaults', key: 'vault_password_file' };

/** The secrets in Ansible's order (the first whose vault id matches an envelope's is tried first). */
export async function vaultSecretsFrom(args: VaultOptions, prompt: (question: string) => Promise<string>, src: ConfigSources): Promise<VaultSecret[]> {
  const slugs = [...(args.vaultId ?? []), ...(args.vaultPasswordFile ?? []).map((f) => `${DEFAULT_ID}@${f}`)];
  if (args.askVaultPassword) slugs.push(`${DEFAULT_ID}@prompt`);
  const configured = slugs.length ? undefined : ansibleSetting(VAULT_PASSWORD_FILE, src);
  if (configured) slugs.push(`${DEFAULT_ID}@${ansiblePath(configured.value, configured.baseDir, src)}`);
  const secrets: VaultSecret[] = [];
  for (const slug of slugs) {
    const at = slug.indexOf('@');
    const [id, source] = at >= 0 ? [slug.slice(0, at), slug.slice(at + 1)] : [DEFAULT_ID, slug];
    if (source === 'prompt') {
      secrets.push({ id, password: await prompt(args.askVaultPassword && id === DEFAULT_ID ? 'Vault password: ' : `Vault password (${id}): `) });
    } else {
      secrets.push({ id, password: passwordFrom(source, id) });
    }
  }
  return secrets;
}

function passwordFrom(file: string, id: string): string {
  const path = file.replace(/^~(?=$|\/)/, homedir());
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw bad(`The vault password file ${path} was not found`);
  }
  if (isExecutable(real)) return scriptPassword(real, file, id);
  const password = readFileSync(real, 'utf8').trim();
  if (!password) throw bad(`Invalid vault password was provided from file (${file})`);
  return password;
}

function isExecutable(file: string): boolean {
  if (!statSync(file).isFile()) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function scriptPassword(real: string, file: string, id: string): string {
  const client = basename(real, extname(real)).endsWith('-client');
  const r = spawnSync(real, client ? ['--vault-id', id] : [], { encoding: 'utf8', stdio: ['inherit', 'pipe', 'pipe'] });
  if (r.error) throw bad(`Problem running vault password script ${file} (${r.error.message}). If this is not a script, remove the executable bit from the file.`);
  if (r.status !== 0) throw bad(`Vault password script ${file} returned non-zero (${r.status}): ${r.stderr}`);
  const password = r.stdout.replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (!password) throw bad(`Invalid vault password was provided from script (${file})`);
  return password;
}

function bad(message: string): InputError {
  return new InputError(message);
}
