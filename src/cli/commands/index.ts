import type { Command } from '../command.js';
import { alertsCommand } from './alerts.js';
import { inventoryCommand } from './inventory.js';
import { pingCommand } from './ping.js';
import { healthCommand } from './health.js';
import { sandboxCommand } from './sandbox.js';
import { runCommand } from './run.js';
import { reportCommand } from './report.js';

/** Every subcommand, in --help order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own argument type
export const commands: Command<any>[] = [runCommand, inventoryCommand, pingCommand, healthCommand, alertsCommand, sandboxCommand, reportCommand];
