/** Mount points of the controller's mount namespace, from /proc/self/mountinfo. */
import { readFileSync } from 'node:fs';
import { run } from './exec.js';

/** Mount point field (5th) of each mountinfo line, with octal escapes (\040 ...) decoded (pure). */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[4].replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))));
}

function mountPoints(): string[] {
  return parseMountPoints(readFileSync('/proc/self/mountinfo', 'utf8'));
}

export function mountsUnder(dir: string, points = mountPoints()): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return points.filter((p) => p === dir || p.startsWith(prefix));
}

export function isMountPoint(path: string, points = mountPoints()): boolean {
  return points.includes(path);
}

export async function mountOverlay(lower: string, upper: string, work: string, target: string): Promise<void> {
  await run(['mount', '-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, target]);
}

/** Unmounts every mount at or below `path`, deepest first; lazily when still busy. */
export async function unmountTree(path: string): Promise<void> {
  const points = mountsUnder(path).sort((a, b) => b.length - a.length);
  for (const p of points) {
    const r = await run(['umount', p], { allowFailure: true });
    if (r.code !== 0) await run(['umount', '-l', p]);
  }
}
