import { defineCommand } from '../command.js';
import { FAULT_ACTIONS, FAULT_HELP, SANDBOX_KINDS } from '../../sandbox/types.js';

const ACTIONS = ['up', 'status', 'down', 'fault'] as const;

export const sandboxCommand = defineCommand({
  command: 'sandbox <action> [host] [fault]',
  describe: 'Local test fleet: `up --hosts N --kind lite|systemd`, `status`, `down`, `fault HOST ACTION` (needs root)',
  builder: (y) =>
    y
      .positional('action', { choices: ACTIONS, describe: 'up | status | down | fault', demandOption: true })
      .positional('host', { type: 'string', describe: 'fault: host name (e.g. default-h1, or just h1)' })
      .positional('fault', {
        type: 'string',
        describe: `fault: ${FAULT_ACTIONS.map((a) => `${a} = ${FAULT_HELP[a]}`).join('; ')}`,
      })
      .option('hosts', { alias: 'n', type: 'number', describe: 'up: number of hosts' })
      .option('kind', { type: 'string', choices: SANDBOX_KINDS, describe: 'up: lite (sshd only, fast) or systemd (nspawn --boot)' })
      .option('name', { type: 'string', describe: 'Sandbox name (default "default"); several can run at once' })
      .option('dir', { type: 'string', describe: 'up: where inventory.ini, ssh_config, keys and state go (default .sandbox/NAME)' })
      .option('all', { type: 'boolean', default: false, describe: 'down: every sandbox on this machine' })
      .option('falco-repo', {
        type: 'boolean',
        default: true,
        describe: 'up: serve the stand-in Falco repo at /srv/falco-repo and point the falco role at it (--no-falco-repo: hosts without any repository)',
      })
      .option('var', { type: 'string', array: true, default: [] as string[], describe: 'up: extra inventory var KEY=VALUE for [NAME:vars] (repeatable)' })
      .option('bind', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'up: SOURCE:TARGET[:rw] controller dir mounted into every host, read-only unless :rw (repeatable)',
      })
      .example('$0 sandbox up --hosts 3 --kind lite', 'three hosts; then: ssh -F .sandbox/default/ssh_config default-h1')
      .example('$0 sandbox fault default-h2 refuse', 'port 22 answers with a reset until `fault default-h2 up`'),
  run: async (args, ctx) => (await import('../handlers/sandbox.js')).handleSandbox(args, ctx),
});
