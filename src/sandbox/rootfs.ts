/** The shared, cached Debian rootfs (lower layer of every host's overlay). */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FalcoDeployError } from '../errors.js';
import { BUILD_ROOTFS_SCRIPT, cacheDir } from './paths.js';

/** Named after the build script's content, so changing the recipe builds a new rootfs. */
function rootfsName(script = readFileSync(BUILD_ROOTFS_SCRIPT)): string {
  return `rootfs-${createHash('sha256').update(script).digest('hex').slice(0, 12)}`;
}

function rootfsReady(path: string): boolean {
  return existsSync(join(path, 'usr/sbin/sshd'));
}

/** Path of the cached rootfs, building it first (about 80 s) when missing. */
export async function ensureRootfs(log: (line: string) => void): Promise<string> {
  const cache = cacheDir();
  const name = rootfsName();
  const path = join(cache, name);
  if (rootfsReady(path)) return path;
  mkdirSync(cache, { recursive: true });
  log(`building the sandbox rootfs in ${path} (once; about 80 s) ...`);
  const started = Date.now();
  const output = await new Promise<{ code: number; text: string }>((resolve, reject) => {
    const child = spawn('bash', [BUILD_ROOTFS_SCRIPT, cache, name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
  if (output.code !== 0 || !rootfsReady(path)) {
    const last = output.text.trim().split('\n').slice(-3).join(' | ');
    throw new FalcoDeployError(`building the sandbox rootfs failed (${BUILD_ROOTFS_SCRIPT} exited ${output.code}): ${last}`, {
      phase: 'sandbox',
      details: output.text.trim(),
    });
  }
  log(`rootfs built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return path;
}
