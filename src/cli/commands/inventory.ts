import type { Command } from '../command.js';
import { FalcoDeployError } from '../../errors.js';

// Placeholder until the inventory subcommand lands; replaced by its implementation.
export const inventoryCommand: Command = {
  command: 'inventory',
  describe: 'inventory (not built yet)',
  builder: (y) => y,
  run: async () => {
    throw new FalcoDeployError('inventory is not built yet', { phase: 'usage' });
  },
};
