/**
 * HostConnection over one ssh2 Client: the persistent shells of shell-connection.ts on exec
 * channels, at most 8 session channels at a time, stats for the run report.
 */
import type { Client, ClientChannel } from 'ssh2';
import pLimit from 'p-limit';
import { FalcoDeployError, UnreachableError } from '../errors.js';
import { closeClient } from './close-client.js';
import { ShellHostConnection } from './shell-connection.js';
import type { ConnectionTarget } from './types.js';

const MAX_SESSION_CHANNELS = 8;

export class SshHostConnection extends ShellHostConnection {
  readonly transport = 'ssh';
  private readonly sessionSlots = pLimit(MAX_SESSION_CHANNELS);

  constructor(
    readonly target: ConnectionTarget,
    private readonly client: Client,
    connectMs: number,
    private readonly onClosed?: () => void,
  ) {
    super(
      {
        name: target.name,
        loginUser: target.user,
        becomePassword: target.becomePassword,
        startTimeoutMs: Math.max(target.connectTimeoutMs * 3, 30_000),
      },
      connectMs,
    );
    client.on('close', () => {
      if (!this.closed) this.lost ??= 'connection closed by the remote side';
      this.closeShells(this.lost ?? 'connection closed');
      this.onClosed?.();
    });
    client.on('error', (e: Error) => {
      this.lost ??= `connection lost: ${e.message}`;
    });
  }

  /** Dead peers are cut after a short grace; the pool then opens a new connection for the host. */
  protected async closeTransport(): Promise<void> {
    await closeClient(this.client);
    this.onClosed?.();
  }

  /** An exec channel holding one of the connection's session slots until it closes. */
  protected openSession(command: string): Promise<ClientChannel> {
    return new Promise<ClientChannel>((resolve, reject) => {
      void this.sessionSlots(
        () =>
          new Promise<void>((release) => {
            this.openChannel(command).then(
              (channel) => {
                channel.once('close', () => release());
                resolve(channel);
              },
              (err: Error) => {
                release();
                reject(err);
              },
            );
          }),
      );
    });
  }

  protected openChannel(command: string): Promise<ClientChannel> {
    return new Promise<ClientChannel>((resolve, reject) => {
      try {
        this.client.exec(command, (err, channel) => {
          if (err) {
            reject(
              this.lost
                ? new UnreachableError(this.lost, { host: this.name, cause: err })
                : new FalcoDeployError(`cannot open a session channel: ${err.message}`, { host: this.name, phase: 'apply', cause: err }),
            );
            return;
          }
          this.stats.channels++;
          resolve(channel);
        });
      } catch (err) {
        // ssh2 throws "Not connected" synchronously once the socket is gone.
        reject(new UnreachableError(this.lost ?? (err as Error).message, { host: this.name, cause: err }));
      }
    });
  }
}
