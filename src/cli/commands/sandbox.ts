import type { Command } from '../command.js';
import { FalcoDeployError } from '../../errors.js';

// Placeholder until the sandbox subcommand lands; replaced by its implementation.
export const sandboxCommand: Command = {
  command: 'sandbox',
  describe: 'sandbox (not built yet)',
  builder: (y) => y,
  run: async () => {
    throw new FalcoDeployError('sandbox is not built yet', { phase: 'usage' });
  },
};
