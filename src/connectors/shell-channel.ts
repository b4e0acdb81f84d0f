import type { Duplex, Readable } from 'node:stream';

/**
 * What the persistent shell and the file-transfer channel need from a command's stdio: an SSH
 * exec channel (ssh2's ClientChannel) or a local child process (local-channel.ts). Emits 'data'
 * (stdout), 'exit' (code, signal) and 'close' (all output read).
 */
export interface ShellChannel extends Duplex {
  readonly stderr: Readable;
  signal(name: string): void;
  close(): void;
}

/** Starts `command` (a /bin/sh command line) on the target and hands back its stdio. */
export type OpenChannel = (command: string) => Promise<ShellChannel>;
