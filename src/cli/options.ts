import type { Argv } from 'yargs';
import { CONNECTION_CHOICES } from '../connectors/connection-type.js';

/** An option given any number of times, as a list. */
const repeatable = (v: string | string[] | undefined): string[] => (v === undefined ? [] : ([] as string[]).concat(v));

/** Options every subcommand shares, with the same names Ansible users know. */
export function withGlobalOptions(y: Argv) {
  return y
    .option('inventory', {
      alias: 'i',
      type: 'string',
      // One value per -i (repeated -i collect into a list), so `run -i hosts site.yml` keeps the playbook.
      requiresArg: true,
      coerce: repeatable,
      default: [] as string[],
      describe: 'Inventory file or directory (repeatable; merged in order)',
    })
    .option('limit', { alias: 'l', type: 'string', describe: 'Host pattern to restrict to (Ansible syntax, @file allowed)' })
    .option('forks', { alias: 'f', type: 'number', default: 50, describe: 'Hosts worked on in parallel' })
    .option('user', { alias: 'u', type: 'string', describe: 'Remote user (overrides ssh config; inventory ansible_user wins per host)' })
    .option('private-key', { type: 'string', describe: 'Private key file' })
    .option('ssh-config', { alias: 'F', type: 'string', describe: 'OpenSSH client config (default ~/.ssh/config)' })
    .option('host-key-checking', {
      type: 'string',
      choices: ['strict', 'accept-new', 'off'] as const,
      default: 'strict' as const,
      describe: 'Host key policy against known_hosts',
    })
    .option('timeout', {
      alias: 'T',
      type: 'number',
      default: 10,
      describe: 'Connect timeout in seconds; also dead-host detection: a keepalive every T/3 s, a host that answers none for T s is UNREACHABLE',
    })
    .option('become', { alias: 'b', type: 'boolean', default: false, describe: 'Run operations with sudo' })
    .option('ask-become-pass', { alias: 'K', type: 'boolean', default: false, describe: 'Ask once for the sudo password' })
    .option('vault-id', {
      type: 'string',
      requiresArg: true,
      coerce: repeatable,
      default: [] as string[],
      describe: 'Vault password as [label@]source: a file, an executable script or "prompt" (repeatable)',
    })
    .option('vault-password-file', {
      alias: 'vault-pass-file',
      type: 'string',
      requiresArg: true,
      coerce: repeatable,
      default: [] as string[],
      describe: 'Vault password file, or a script printing the password (repeatable; default $ANSIBLE_VAULT_PASSWORD_FILE)',
    })
    .option('ask-vault-password', { alias: ['ask-vault-pass', 'J'], type: 'boolean', default: false, describe: 'Ask for the vault password' })
    .option('connection', {
      alias: 'c',
      type: 'string',
      choices: CONNECTION_CHOICES,
      describe: "Connection for hosts whose play, task or ansible_connection names none (local: run on this machine)",
    })
    .option('verbose', { alias: 'v', type: 'count', describe: 'More detail (repeat for more)' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable JSON output' })
    .check((a) => {
      if (!Number.isInteger(a.forks) || a.forks < 1) throw new Error('--forks must be a positive integer');
      if (!(a.timeout > 0)) throw new Error('--timeout must be a positive number of seconds');
      return true;
    });
}

type ArgsOf<Y> = Y extends Argv<infer T> ? T : never;
type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

/** What a command gets: yargs also sets every kebab-case option under its camelCase name. */
export type Parsed<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

/** The global options as yargs types them from withGlobalOptions. */
export type GlobalArgs = ArgsOf<ReturnType<typeof withGlobalOptions>>;
export type GlobalOptions = Parsed<GlobalArgs>;
