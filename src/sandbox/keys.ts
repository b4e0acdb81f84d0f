/**
 * SSH keys generated on the controller: the client key and every host's host key.
 * Encoded here from node:crypto because ssh2 1.17's generateKeyPairSync drops a leading zero
 * byte of ed25519 keys (about 1 key in 128 is then rejected by OpenSSH: "error in libcrypto").
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

interface KeyPair {
  /** OpenSSH PEM ("openssh-key-v1", unencrypted). */
  privateKey: string;
  /** `ssh-ed25519 AAAA... comment`. */
  publicKey: string;
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** The OpenSSH encoding of an ed25519 key pair from its 32-byte seed and public key (pure). */
export function encodeEd25519(seed: Buffer, pub: Buffer, comment: string, checkInt: number): KeyPair {
  if (seed.length !== 32 || pub.length !== 32) throw new Error('ed25519 seed and public key are 32 bytes each');
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const secret = Buffer.concat([
    uint32(checkInt),
    uint32(checkInt),
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padLength = (8 - (secret.length % 8)) % 8;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(Buffer.concat([secret, padding])),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g)!;
  return {
    privateKey: ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n'),
    publicKey: `ssh-ed25519 ${publicBlob.toString('base64')} ${comment}`,
  };
}

export function ed25519(comment: string): KeyPair {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return encodeEd25519(Buffer.from(jwk.d!, 'base64url'), Buffer.from(jwk.x!, 'base64url'), comment, randomBytes(4).readUInt32BE());
}
