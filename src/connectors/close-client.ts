/**
 * Closing an ssh2 Client for good. `end()` sends DISCONNECT and half-closes the socket, then
 * waits for the peer's FIN; when the link is dead that FIN never comes and the socket keeps the
 * process alive until TCP gives up (about 15 minutes), and ssh2's destroy() is a no-op once the
 * socket was ended. So: end() politely, and destroy the socket itself if the peer has not
 * closed within a short grace.
 */
import type { Client } from 'ssh2';
import type { Duplex } from 'node:stream';

/** How long a healthy peer gets to answer DISCONNECT. */
const CLOSE_GRACE_MS = 1000;

const closed = new WeakSet<Client>();

/** Call once per client when it is created: closeClient then knows a client already gone. */
export function trackClose(client: Client): void {
  client.once('close', () => closed.add(client));
}

/** Resolves once the client is closed, or about 2 x `graceMs` from now whatever happens. */
export function closeClient(client: Client, graceMs = CLOSE_GRACE_MS): Promise<void> {
  if (closed.has(client)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let giveUp: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(cut);
      clearTimeout(giveUp);
      client.removeListener('close', done);
      resolve();
    };
    const cut = setTimeout(() => {
      // ssh2 keeps its transport in a private field; nothing public can destroy an ended socket.
      (client as unknown as { _sock?: Duplex })._sock?.destroy();
      // A channel forwarded through a dead bastion closes only when the bastion is cut too.
      giveUp = setTimeout(done, graceMs);
    }, graceMs);
    client.once('close', done);
    client.end();
  });
}
