/**
 * group_vars/ and host_vars/ beside an inventory source, found and read like Ansible's
 * host_group_vars plugin: `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json` (the first that exists),
 * or a directory `NAME/` whose files are read in lexical order (recursively).
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { InputError } from '../errors.js';
import { isMapping } from '../python/values.js';
import { pyTypeName } from './yaml-plugin.js';
import type { Vars } from './model.js';

const EXTENSIONS = ['.yml', '.yaml', '.json'];

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

async function dirVarsFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const names = (await readdir(dir)).sort(compareCodepoints);
  for (const name of names) {
    if (name.startsWith('.') || name.endsWith('~')) continue; // hidden files and backups
    const full = join(dir, name);
    const ext = extname(name);
    const st = await statOrNull(full);
    if (!st) continue;
    if (st.isDirectory() && !ext) found.push(...(await dirVarsFiles(full)));
    else if (st.isFile() && (!ext || EXTENSIONS.includes(ext))) found.push(full);
  }
  return found;
}

export function compareCodepoints(a: string, b: string): number {
  const A = Buffer.from(a);
  const B = Buffer.from(b);
  return Buffer.compare(A, B);
}

/** Files holding vars for `name` under `varsDir`, in the order they are merged. */
async function findVarsFiles(varsDir: string, name: string): Promise<string[]> {
  for (const ext of ['', ...EXTENSIONS]) {
    const full = join(varsDir, name + ext);
    const st = await statOrNull(full);
    if (!st) continue;
    return st.isDirectory() ? dirVarsFiles(full) : [full];
  }
  return [];
}

/** Loads vars of groups and hosts found under one source's base directory. */
export class VarsDirectory {
  private readonly cache = new Map<string, Vars>();
  private constructor(
    private readonly groupDir: string | undefined,
    private readonly hostDir: string | undefined,
  ) {}

  static async open(baseDir: string, warn: (m: string) => void): Promise<VarsDirectory> {
    const dirs: Array<string | undefined> = [];
    for (const sub of ['group_vars', 'host_vars']) {
      let path: string;
      try {
        path = await realpath(join(baseDir, sub));
      } catch {
        dirs.push(undefined);
        continue;
      }
      const st = await statOrNull(path);
      if (st && !st.isDirectory()) {
        warn(`Found ${sub} that is not a directory, skipping: ${path}`);
        dirs.push(undefined);
      } else dirs.push(st ? path : undefined);
    }
    return new VarsDirectory(dirs[0], dirs[1]);
  }

  async load(kind: 'group' | 'host', name: string): Promise<Vars> {
    const dir = kind === 'group' ? this.groupDir : this.hostDir;
    if (!dir || name.startsWith(sep)) return {};
    const key = `${kind}\0${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    let vars: Vars = {};
    for (const file of await findVarsFiles(dir, name)) {
      const { loadAnsibleYaml } = await import('../yaml/load.js'); // see parseFile in load.ts
      const data = loadAnsibleYaml(file);
      if (data === null || data === undefined || data === '' || data === false || data === 0) continue;
      if (Array.isArray(data) && data.length === 0) continue;
      if (!isMapping(data)) {
        throw new InputError(
          `vars file must contain a mapping of variable names to values, got ${pyTypeName(data)}`,
          { file },
        );
      }
      vars = { ...vars, ...data };
    }
    this.cache.set(key, vars);
    return vars;
  }
}
