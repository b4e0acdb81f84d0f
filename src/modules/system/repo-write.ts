import type { FileDiff, PlannedCommand } from '../contract.js';
import { sh } from '../../shell/quote.js';
import { atomicWriteCommand, sha1 } from '../files/atomic-write.js';

/** Atomic write of a repo/config file (temp file in the target dir + rename; content on stdin). */
export function writeFileCommand(dest: string, content: string, mode = '0644'): PlannedCommand {
  return {
    command: atomicWriteCommand({ dest, checksum: sha1(content), mode }),
    stdin: content,
    describe: `write ${dest}`,
  };
}

export function removeFileCommand(path: string): PlannedCommand {
  return { command: sh`rm -f -- ${path}` };
}

export function fileDiff(path: string, before: string | undefined, after: string | undefined): FileDiff {
  return {
    path,
    before: before ?? '',
    after: after ?? '',
    beforeHeader: before === undefined ? '/dev/null' : path,
    afterHeader: after === undefined ? '/dev/null' : path,
  };
}
