import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { KnownHostsStore } from '../../src/connectors/known-hosts-store.js';
import { describeHostKey, knownHostsName, parseKnownHosts } from '../../src/connectors/known-hosts.js';

/** A real ed25519 SSH public key blob (string "ssh-ed25519", string 32-byte key). */
function ed25519Blob(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
}

describe('connectors/KnownHostsStore appends (accept-new)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-kh-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('50 hosts appended concurrently by two stores (two runs), each twice: one line per host', async () => {
    const file = path.join(dir, 'sub', 'known_hosts');
    const hosts = Array.from({ length: 50 }, (_, i) => ({ name: knownHostsName('10.0.0.1', 2200 + i), key: describeHostKey(ed25519Blob()) }));
    const a = new KnownHostsStore();
    const b = new KnownHostsStore();
    const verdicts = await Promise.all(hosts.flatMap((h) => [a.append(file, h.name, h.key, false), b.append(file, h.name, h.key, false)]));
    const text = await fs.readFile(file, 'utf8');
    const entries = parseKnownHosts(text, file);
    expect(entries).to.have.length(50);
    expect(text.split('\n').filter(Boolean)).to.have.length(50);
    for (const h of hosts) {
      const e = entries.filter((x) => x.patterns === h.name);
      expect(e, h.name).to.have.length(1);
      expect(e[0].keyBase64).to.equal(h.key.base64);
    }
    // Exactly one of the two appends per host wrote it; the other found it already there.
    expect(verdicts.filter((v) => v.status === 'unknown')).to.have.length(50);
    expect(verdicts.filter((v) => v.status === 'match')).to.have.length(50);
    expect(await fs.stat(`${file}.fd-lock`).then(() => 'exists', () => 'removed'), 'lock file').to.equal('removed');
  });

  it('a concurrent writer that recorded another key makes the append report "changed"', async () => {
    const file = path.join(dir, 'known_hosts');
    const name = knownHostsName('db', 22);
    await new KnownHostsStore().append(file, name, describeHostKey(ed25519Blob()), false);
    const verdict = await new KnownHostsStore().append(file, name, describeHostKey(ed25519Blob()), false);
    expect(verdict.status).to.equal('changed');
    expect(parseKnownHosts(await fs.readFile(file, 'utf8'), file)).to.have.length(1);
  });

  it('appends after a last line without newline, and later lookups see the new entry with its line number', async () => {
    const file = path.join(dir, 'known_hosts');
    await fs.writeFile(file, '# header\nother ssh-ed25519 AAAA');
    const store = new KnownHostsStore();
    const key = describeHostKey(ed25519Blob());
    await store.append(file, 'web', key, true);
    const verdict = await store.verdict([file], ['web'], key);
    expect(verdict.status).to.equal('match');
    expect(verdict.status === 'match' && verdict.entry.line).to.equal(3);
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    expect(lines[2]).to.match(/^\|1\|/);
  });
});
