import { expect } from 'chai';
import * as net from 'node:net';
import ssh2 from 'ssh2';
import { closeClient, trackClose } from '../../src/connectors/close-client.js';
import { keepaliveFor } from '../../src/connectors/ssh-connect.js';

/** A peer on loopback that takes the TCP connection and then says nothing, never closing: a dead link. */
async function silentPeer(): Promise<{ port: number; closed: Promise<void>; stop: () => void }> {
  const sockets: net.Socket[] = [];
  let sawClose!: () => void;
  const closed = new Promise<void>((r) => (sawClose = r));
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.push(s);
    s.on('close', () => sawClose());
    s.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    closed,
    stop: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

function connectTo(port: number): ssh2.Client {
  const client = new ssh2.Client();
  client.on('error', () => undefined);
  trackClose(client);
  client.connect({ host: '127.0.0.1', port, username: 'nobody', readyTimeout: 60_000 });
  return client;
}

describe('connectors: closing connections to dead peers', () => {
  it('closeClient cuts a peer that never answers DISCONNECT after the grace (client.end() alone waits for TCP)', async () => {
    const peer = await silentPeer();
    try {
      const polite = connectTo(peer.port);
      await new Promise((r) => setTimeout(r, 100));
      let politeClosed = false;
      polite.once('close', () => (politeClosed = true));
      polite.end();
      await new Promise((r) => setTimeout(r, 400));
      expect(politeClosed, 'ssh2 end() keeps the socket while the peer is silent').to.equal(false);

      const client = connectTo(peer.port);
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      let clientClosed = false;
      client.once('close', () => (clientClosed = true));
      await closeClient(client, 200);
      await new Promise((r) => setImmediate(r));
      expect(Date.now() - t0, 'the 200 ms grace, not the silent peer').to.be.below(4000);
      expect(clientClosed).to.equal(true);
      await closeClient(client, 5000).then(() => expect(Date.now() - t0, 'a closed client returns at once, not after the 5 s grace').to.be.below(4500));
      (polite as unknown as { _sock: net.Socket })._sock.destroy();
    } finally {
      peer.stop();
    }
  });

  it('keepalive follows -T: unanswered for T seconds means dead', () => {
    for (const timeoutMs of [3000, 10_000, 500]) {
      const ka = keepaliveFor(timeoutMs);
      // ssh2 gives up when the (countMax+1)-th keepalive is due and none was answered.
      expect(ka.keepaliveInterval * (ka.keepaliveCountMax + 1)).to.be.within(timeoutMs - 3, timeoutMs + 3);
    }
    expect(keepaliveFor(10_000)).to.deep.equal({ keepaliveInterval: 3333, keepaliveCountMax: 2 });
  });
});
