/** A transfer channel answers sudo once, sends the file only after the command announced itself. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex, PassThrough } from 'node:stream';
import type { ShellChannel } from '../../src/connectors/shell-channel.js';
import { execOnOwnChannel } from '../../src/connectors/stream-channel.js';

class FakeChannel extends Duplex {
  readonly stderr = new PassThrough();
  readonly written: Buffer[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.written.push(Buffer.from(chunk));
    cb();
  }
  override _read() {}
  signal() {}
  close() {
    this.emit('close');
  }
  get text() {
    return Buffer.concat(this.written).toString('latin1');
  }
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('connectors/stream-channel (fake ssh channel)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-stream-'));
    file = join(dir, 'payload');
    writeFileSync(file, 'PAYLOAD-BYTES');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function start(password: string) {
    const ch = new FakeChannel();
    let command = '';
    const result = execOnOwnChannel(
      async (c) => ((command = c), ch as unknown as ShellChannel),
      { command: 'cat > /x', stdinFile: file },
      { becomeUser: 'root', becomePassword: password, startTimeoutMs: 5000 },
      (reason) => new Error(reason),
    );
    return { ch, result, command: () => command };
  }

  it('answers the sudo prompt once, then streams the file after the ready token', async () => {
    const { ch, result, command } = start('s3cret');
    await tick();
    const prompt = /-p '?(\[fd-sudo-[0-9a-f]+\])/.exec(command())![1];
    const token = /FDR[0-9a-f]{24}/.exec(command())![0];
    ch.stderr.write(prompt);
    await tick();
    expect(ch.text).to.equal('s3cret\n');
    ch.stderr.write(`${token}\nwarning from the command\n`);
    await tick();
    expect(ch.text).to.equal('s3cret\nPAYLOAD-BYTES');
    ch.emit('exit', 0);
    ch.emit('close');
    const r = await result;
    expect(r).to.include({ exitCode: 0, stderr: 'warning from the command\n' });
  });

  it('a second prompt (wrong password) fails the transfer and never sends the file', async () => {
    const { ch, result, command } = start('wrong');
    await tick();
    const prompt = /-p '?(\[fd-sudo-[0-9a-f]+\])/.exec(command())![1];
    ch.stderr.write(prompt);
    await tick();
    ch.stderr.write(`Sorry, try again.\n${prompt}`);
    const err = await result.then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/sudo rejected the become password for root/);
    expect(ch.text).to.equal('wrong\n');
  });
});
