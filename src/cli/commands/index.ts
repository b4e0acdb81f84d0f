import type { Command } from '../command.js';
import { inventoryCommand } from './inventory.js';
import { pingCommand } from './ping.js';
import { sandboxCommand } from './sandbox.js';
import { runCommand } from './run.js';

/** Every subcommand, in --help order. */
export const commands: Command<any>[] = [runCommand, inventoryCommand, pingCommand, sandboxCommand];
