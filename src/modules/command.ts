import { commandModule } from './files/run-command.js';

/** Runs argv without a shell (free form is split like Python's shlex). */
export const command = commandModule('command', false);
