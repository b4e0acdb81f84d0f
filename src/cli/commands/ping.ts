import type { Command } from '../command.js';
import { FalcoDeployError } from '../../errors.js';

// Placeholder until the ping subcommand lands; replaced by its implementation.
export const pingCommand: Command = {
  command: 'ping',
  describe: 'ping (not built yet)',
  builder: (y) => y,
  run: async () => {
    throw new FalcoDeployError('ping is not built yet', { phase: 'usage' });
  },
};
