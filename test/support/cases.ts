import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename, extname } from 'node:path';
import { parse } from 'yaml';

interface CaseFile<T> {
  /** Folder name under the cases root (module or fact name). */
  group: string;
  name: string;
  file: string;
  data: T;
}

/** Every `<root>/<group>/<case>.yaml|json`, sorted, parsed. */
export function loadCases<T>(root: string): CaseFile<T>[] {
  const out: CaseFile<T>[] = [];
  for (const group of readdirSync(root).sort()) {
    const dir = join(root, group);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!['.yaml', '.yml', '.json'].includes(extname(f))) continue;
      const file = join(dir, f);
      out.push({ group, name: basename(f, extname(f)), file, data: parse(readFileSync(file, 'utf8')) as T });
    }
  }
  return out;
}
