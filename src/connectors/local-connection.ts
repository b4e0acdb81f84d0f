/**
 * `connection: local`: the host's commands run on the controller, in the same persistent
 * shells as over SSH (shell-connection.ts), each a local /bin/sh child process instead of an SSH
 * exec channel. Runs as the controller's user; become is sudo on the controller.
 */
import { openLocalChannel } from './local-channel.js';
import type { ShellChannel } from './shell-channel.js';
import { ShellHostConnection } from './shell-connection.js';

export interface LocalTarget {
  name: string;
  /** The controller user falco-deploy runs as. */
  user: string;
  becomePassword?: string;
}

/** Longest wait for a local shell (or sudo) to start. */
const START_TIMEOUT_MS = 30_000;

export class LocalHostConnection extends ShellHostConnection {
  readonly transport = 'local';

  constructor(target: LocalTarget) {
    super({ name: target.name, loginUser: target.user, becomePassword: target.becomePassword, startTimeoutMs: START_TIMEOUT_MS }, 0);
  }

  protected openSession(command: string): Promise<ShellChannel> {
    return this.openChannel(command);
  }

  protected async openChannel(command: string): Promise<ShellChannel> {
    const channel = await openLocalChannel(command);
    this.stats.channels++;
    return channel;
  }

  protected closeTransport(): Promise<void> {
    return Promise.resolve();
  }
}
