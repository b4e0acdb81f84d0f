import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SSHConfig from 'ssh-config';
import { InputError } from '../errors.js';

const MAX_INCLUDE_DEPTH = 16;

/**
 * The OpenSSH client config for this run: `-F FILE` (must exist) or ~/.ssh/config (optional).
 * Parsed by the ssh-config package; `Match exec` is never run. ssh-config does not follow
 * `Include`, so Include lines are replaced by the files' text first (relative paths from
 * ~/.ssh, `~`, and `*`/`?` in the file name), as OpenSSH reads them in place.
 */
export async function loadSshConfig(file?: string, homeDir = os.homedir()): Promise<SSHConfig> {
  const configPath = file ?? `${homeDir}/.ssh/config`;
  let text: string;
  try {
    text = await fs.readFile(configPath, 'utf8');
  } catch (err) {
    if (file === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return SSHConfig.parse('');
    throw new InputError(`cannot read ssh config ${configPath}: ${(err as Error).message}`, { file: configPath });
  }
  try {
    return SSHConfig.parse(await expandIncludes(text, configPath, homeDir, 0));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot parse ssh config: ${(err as Error).message}`, { file: configPath });
  }
}

async function expandIncludes(text: string, file: string, homeDir: string, depth: number): Promise<string> {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*include\s*[=\s]\s*(.+?)\s*$/i.exec(lines[i]);
    if (!m) {
      out.push(lines[i]);
      continue;
    }
    if (depth >= MAX_INCLUDE_DEPTH) {
      throw new InputError(`Include nested deeper than ${MAX_INCLUDE_DEPTH} (a loop?)`, { file, line: i + 1 });
    }
    for (const pattern of m[1].split(/\s+/)) {
      for (const included of await globFiles(pattern.replace(/^"(.*)"$/, '$1'), homeDir)) {
        const body = await fs.readFile(included, 'utf8');
        out.push(`# Include ${included}`, await expandIncludes(body, included, homeDir, depth + 1));
      }
    }
  }
  return out.join('\n');
}

async function globFiles(pattern: string, homeDir: string): Promise<string[]> {
  let p = pattern.startsWith('~/') ? homeDir + pattern.slice(1) : pattern;
  if (!path.isAbsolute(p)) p = path.join(homeDir, '.ssh', p);
  const dir = path.dirname(p);
  const base = path.basename(p);
  if (!/[*?]/.test(base)) return (await exists(p)) ? [p] : [];
  const re = new RegExp('^' + base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}
