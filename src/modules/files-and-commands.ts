import type { ModuleDefinition } from './contract.js';
import { command } from './command.js';
import { copy } from './copy.js';
import { fetch } from './fetch.js';
import { file } from './file.js';
import { find } from './find.js';
import { blockinfile } from './blockinfile.js';
import { lineinfile } from './lineinfile.js';
import { raw } from './raw.js';
import { replace } from './replace.js';
import { setup } from './setup.js';
import { shell } from './shell.js';
import { slurp } from './slurp.js';
import { stat } from './stat.js';
import { template } from './template.js';
import { unarchive } from './unarchive.js';

export const filesAndCommandsModules: ModuleDefinition[] = [
  command, shell, raw, copy, template, file, lineinfile, blockinfile, replace, stat, slurp, fetch, setup, find, unarchive,
] as ModuleDefinition[];
