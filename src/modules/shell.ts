import { commandModule } from './files/run-command.js';

/** Runs the text through `/bin/sh -c` (or `executable -c`). */
export const shell = commandModule('shell', true);
