import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { ModuleContext } from '../contract.js';
import { isVaultText } from '../../yaml/vault.js';

/**
 * Controller files at least this big are streamed to the host on a channel of their own instead
 * of travelling (base64) through the persistent shell: memory stays bounded whatever the size.
 */
export const STREAM_MIN_BYTES = 1024 * 1024;

/** A controller file that is sent by streaming, never read whole. */
export interface StreamedFile {
  path: string;
  size: number;
  sha1: string;
  md5: string;
}

/** sha1 + md5 + size of a file, read in chunks; undefined when it cannot be read. */
export async function hashLocalFile(path: string): Promise<{ sha1: string; md5: string; size: number } | undefined> {
  const sha1 = createHash('sha1');
  const md5 = createHash('md5');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      sha1.update(chunk);
      md5.update(chunk);
      size += chunk.length;
    }
  } catch {
    return undefined; // unreadable: the whole-file path reads it again and reports why
  }
  return { sha1: sha1.digest('hex'), md5: md5.digest('hex'), size };
}

/** Hashes of big sources by path + identity, so N hosts copying one file read it once to plan. */
const sourceHashes = new Map<string, ReturnType<typeof hashLocalFile>>();

/**
 * A big regular file behind a controller `src` (role files/ first), else undefined: read it whole
 * (also a vault-encrypted one to be decrypted: the plaintext is sent, not the file).
 */
export async function streamedSource(src: string, ctx: ModuleContext, decrypt = true): Promise<StreamedFile | undefined> {
  let path: string;
  let key: string;
  try {
    path = ctx.resolveLocalPath(src, 'files');
    const st = await stat(path);
    if (!st.isFile() || st.size < STREAM_MIN_BYTES) return undefined;
    if (decrypt && isVaultText(await firstBytes(path, VAULT_HEADER_BYTES))) return undefined;
    key = JSON.stringify([path, st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs]);
  } catch {
    return undefined; // missing or unreadable: the whole-file path reports it with the task
  }
  let hashed = sourceHashes.get(key);
  if (!hashed) sourceHashes.set(key, (hashed = hashLocalFile(path)));
  const h = await hashed;
  return h && { path, ...h };
}

const VAULT_HEADER_BYTES = 14;

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(n), 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
