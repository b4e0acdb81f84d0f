import type { Command } from '../command.js';
import { alertsCommand } from './alerts.js';
import { inventoryCommand } from './inventory.js';
import { pingCommand } from './ping.js';
import { healthCommand } from './health.js';
import { sandboxCommand } from './sandbox.js';
import { runCommand } from './run.js';
import { reportCommand } from './report.js';

/** Every subcommand, in --help order. */
export const commands: Command[] = [runCommand, inventoryCommand, pingCommand, healthCommand, alertsCommand, sandboxCommand, reportCommand];
