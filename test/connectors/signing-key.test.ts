/**
 * withReusedSigningKey: the signatures ssh2 sends in publickey auth are the ones ssh2's own sign
 * makes (ed25519 and RSA signatures are deterministic), for every key type and hash ssh2 asks for.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { withReusedSigningKey } from '../../src/connectors/signing-key.js';

const dir = mkdtempSync(join(tmpdir(), 'fd-signing-key-'));
let made = 0;

function keyOf(type: string, bits?: number): ParsedKey {
  const file = join(dir, `key${++made}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-f', file]);
  const parsed = ssh2.utils.parseKey(readFileSync(file));
  if (parsed instanceof Error) throw parsed;
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

const data = Buffer.from('session id and userauth request bytes');
const cases: { type: string; bits?: number; algo?: string; deterministic: boolean }[] = [
  { type: 'ed25519', deterministic: true },
  { type: 'rsa', bits: 2048, algo: 'sha256', deterministic: true },
  { type: 'rsa', bits: 2048, algo: 'sha512', deterministic: true },
  { type: 'rsa', bits: 2048, deterministic: true }, // ssh-rsa: ssh2's default hash (sha1)
  { type: 'ecdsa', bits: 256, deterministic: false },
  { type: 'ecdsa', bits: 384, algo: 'sha384', deterministic: false },
];

describe('connectors: withReusedSigningKey', () => {
  for (const c of cases) {
    it(`${c.type}${c.bits ? `-${c.bits}` : ''} with ${c.algo ?? 'no hash named'}: the signature verifies${c.deterministic ? ' and equals ssh2\'s' : ''}`, () => {
      const key = keyOf(c.type, c.bits);
      const fast = withReusedSigningKey(key);
      const signature = fast.sign(data, c.algo);
      expect(signature).to.be.instanceOf(Buffer);
      expect(key.verify(data, signature, c.algo)).to.equal(true);
      if (c.deterministic) expect(signature.equals(key.sign(data, c.algo))).to.equal(true);
      expect(key.verify(data, fast.sign(data, c.algo), c.algo)).to.equal(true); // the cached KeyObject signs again
    });
  }

  it('is still a parsed key to ssh2, with the same type and public key', () => {
    const key = keyOf('ed25519');
    const fast = withReusedSigningKey(key);
    expect(ssh2.utils.parseKey(fast as never)).to.equal(fast);
    expect(fast.type).to.equal('ssh-ed25519');
    expect(fast.getPublicSSH().equals(key.getPublicSSH())).to.equal(true);
  });

  it('a signing failure is returned as ssh2 returns it, not thrown', () => {
    const fast = withReusedSigningKey(keyOf('ed25519'));
    expect(fast.sign(data, 'no-such-hash')).to.be.instanceOf(Error);
  });
});
