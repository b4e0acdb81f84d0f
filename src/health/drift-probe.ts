/**
 * The host side of config drift: sha256 of every regular file under the root (backup files `*~`
 * left out), sent in the same batch as the health probe (one round trip). Read-only.
 */
import { sh } from '../shell/quote.js';

export function managedFilesScript(root: string): string {
  return sh`if [ -d ${root} ]; then find ${root} -xdev -type f ! -name '*~' -exec sha256sum {} + 2>/dev/null; fi; :`;
}

/** `sha256sum` lines -> sha256 by path. */
export function parseManagedFiles(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.*)$/.exec(line);
    if (m) out.set(m[2], m[1]);
  }
  return out;
}
