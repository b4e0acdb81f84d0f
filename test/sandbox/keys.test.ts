import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519, encodeEd25519 } from '../../src/sandbox/keys.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function publicFromSeed(seed: Buffer): Buffer {
  const jwk = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}

/** A deterministic seed whose public key starts with a zero byte. */
function seedWithZeroLeadingPublicKey(): Buffer {
  for (let i = 0; ; i++) {
    const seed = Buffer.alloc(32, 7);
    seed.writeUInt32BE(i);
    if (publicFromSeed(seed)[0] === 0) return seed;
  }
}

describe('sandbox ed25519 keys (OpenSSH format)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function opensshPublicOf(privateKey: string): { status: number | null; stdout: string; stderr: string } {
    const file = join(dir, 'key');
    writeFileSync(file, privateKey, { mode: 0o600 });
    return spawnSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' });
  }

  const cases: [string, () => Buffer][] = [
    ['a seed starting with a zero byte', () => Buffer.concat([Buffer.alloc(1), Buffer.alloc(31, 0x5a)])],
    ['a public key starting with a zero byte (what ssh2 1.17 got wrong)', seedWithZeroLeadingPublicKey],
    ['an ordinary seed', () => Buffer.alloc(32, 0xa5)],
  ];
  for (const [what, seedOf] of cases) {
    it(`ssh-keygen reads the private key back to the same public key: ${what}`, () => {
      const seed = seedOf();
      const pair = encodeEd25519(seed, publicFromSeed(seed), 'root@t-h1', 0x01020304);
      const r = opensshPublicOf(pair.privateKey);
      expect(r.stderr).to.equal('');
      expect(r.stdout.trim()).to.equal(pair.publicKey);
    });
  }

  it('generates fresh, distinct, OpenSSH-readable keys', () => {
    const a = ed25519('root@a');
    const b = ed25519('root@b');
    expect(a.publicKey).to.not.equal(b.publicKey);
    expect(a.publicKey).to.match(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} root@a$/);
    expect(opensshPublicOf(a.privateKey).stdout.trim()).to.equal(a.publicKey);
  });

  it('rejects a seed or public key of the wrong length', () => {
    expect(() => encodeEd25519(Buffer.alloc(31), Buffer.alloc(32), 'c', 1)).to.throw(/32 bytes each/);
  });
});
