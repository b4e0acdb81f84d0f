import { randomBytes } from 'node:crypto';
import { sh } from '../shell/quote.js';

export interface BecomeSpec {
  /** sudo target user; undefined runs as the login user. */
  becomeUser?: string;
  /** sudo password; fed on stdin once when sudo asks, never on argv. */
  becomePassword?: string;
}

/**
 * The exec command that runs `announce` (a shell snippet) as the login user or through sudo.
 * With a password, sudo reads it from stdin after printing the returned random `prompt` on stderr.
 */
export function becomeLaunch(announce: string, spec: BecomeSpec): { command: string; prompt?: string } {
  if (spec.becomeUser === undefined) return { command: announce };
  const user = spec.becomeUser;
  if (spec.becomePassword === undefined) return { command: sh`sudo -n -u ${user} /bin/sh -c ${announce}` };
  const prompt = `[fd-sudo-${randomBytes(6).toString('hex')}]`;
  return { command: sh`sudo -S -p ${prompt} -u ${user} /bin/sh -c ${announce}`, prompt };
}
