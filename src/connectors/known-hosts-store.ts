/**
 * known_hosts files for one run: read once, checked per connection, and appended to in
 * accept-new mode. Appends go through one in-process queue per file, re-read the file under
 * that queue (so a host is written once even when several targets share it) and use a single
 * O_APPEND write per line, so parallel connects cannot interleave or duplicate lines. A lock
 * file (O_EXCL) beside it keeps two falco-deploy processes from racing the same way.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  checkHostKey,
  formatKnownHostsLine,
  knownKeyTypes,
  parseKnownHosts,
  type HostKeyInfo,
  type HostKeyVerdict,
  type KnownHostEntry,
} from './known-hosts.js';

export class KnownHostsStore {
  private readonly cache = new Map<string, Promise<KnownHostEntry[]>>();
  private readonly writeQueues = new Map<string, Promise<unknown>>();

  /** Entries of all files, in order (missing files count as empty). */
  async entries(files: string[]): Promise<KnownHostEntry[]> {
    const lists = await Promise.all(files.map((f) => this.load(f)));
    return lists.flat();
  }

  async verdict(files: string[], names: string[], key: HostKeyInfo): Promise<HostKeyVerdict> {
    return checkHostKey(await this.entries(files), names, key);
  }

  async knownTypes(files: string[], names: string[]): Promise<string[]> {
    return knownKeyTypes(await this.entries(files), names);
  }

  /**
   * Record `name`'s key in `file` unless an entry for it appeared meanwhile. Resolves to the
   * verdict against the file's state at write time (a concurrent writer may have recorded a
   * different key, which is then reported as changed).
   */
  append(file: string, name: string, key: HostKeyInfo, hashed: boolean): Promise<HostKeyVerdict> {
    const previous = this.writeQueues.get(file) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.appendNow(file, name, key, hashed));
    this.writeQueues.set(file, next);
    return next;
  }

  private async appendNow(file: string, name: string, key: HostKeyInfo, hashed: boolean): Promise<HostKeyVerdict> {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const unlock = await lockFile(`${file}.fd-lock`);
    try {
      return await this.appendLocked(file, name, key, hashed);
    } finally {
      await unlock();
    }
  }

  private async appendLocked(file: string, name: string, key: HostKeyInfo, hashed: boolean): Promise<HostKeyVerdict> {
    const text = await readOrEmpty(file);
    const current = parseKnownHosts(text, file);
    const verdict = checkHostKey(current, [name], key);
    if (verdict.status !== 'unknown') {
      this.cache.set(file, Promise.resolve(current));
      return verdict;
    }
    const prefix = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
    const line = formatKnownHostsLine(name, key, hashed);
    const handle = await fs.open(file, 'a', 0o600);
    try {
      await handle.write(prefix + line + '\n');
    } finally {
      await handle.close();
    }
    const lineNo = text.split('\n').length - (text.endsWith('\n') || text === '' ? 1 : 0) + 1;
    this.cache.set(file, Promise.resolve([...current, ...parseKnownHosts(line, file).map((e) => ({ ...e, line: lineNo }))]));
    return { status: 'unknown', otherTypes: [] };
  }

  private load(file: string): Promise<KnownHostEntry[]> {
    let p = this.cache.get(file);
    if (!p) {
      p = readOrEmpty(file).then((t) => parseKnownHosts(t, file));
      this.cache.set(file, p);
    }
    return p;
  }
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;

/** Create `lockPath` exclusively (waiting while another process holds it); resolves to the unlock. */
async function lockFile(lockPath: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const h = await fs.open(lockPath, 'wx', 0o600);
      await h.write(`${process.pid}\n`);
      await h.close();
      return () => fs.rm(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const st = await fs.stat(lockPath).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > LOCK_STALE_MS) {
        await fs.rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`known_hosts lock ${lockPath} held for over ${LOCK_WAIT_MS / 1000}s; remove it if no falco-deploy is running`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
