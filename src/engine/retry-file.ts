import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes the retry file (one host a line, sorted as Ansible) through a temp file and a rename,
 * so a reader never sees half a list. Resolves to the reason it could not, instead of throwing:
 * as in Ansible, a retry file that cannot be written is a warning, not a failed run.
 */
export async function writeRetryFile(path: string, hosts: string[]): Promise<string | undefined> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, [...hosts].sort().map((h) => `${h}\n`).join(''));
    await rename(tmp, path);
    return undefined;
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    return err instanceof Error ? err.message : String(err);
  }
}
