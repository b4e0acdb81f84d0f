/**
 * The subset of Python's RawConfigParser that yum .repo files need: sections of `key = value`
 * (keys lower-cased, `:` also splits, `#`/`;` comment lines, indented continuation lines).
 * Sections and keys keep their order, as configparser does.
 */
type IniFile = Map<string, Map<string, string>>;

export function parseIni(text: string): IniFile {
  const out: IniFile = new Map();
  let section: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*[#;]/.test(line)) continue;
    if (line.trim() === '') {
      lastKey = undefined;
      continue;
    }
    if (/^\s/.test(line) && section && lastKey !== undefined) {
      section.set(lastKey, `${section.get(lastKey)}\n${line.trim()}`);
      continue;
    }
    const head = /^\[([^\]]+)\]/.exec(line);
    if (head) {
      section = new Map();
      out.set(head[1], section);
      lastKey = undefined;
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (m && section) {
      lastKey = m[1].trim().toLowerCase();
      section.set(lastKey, m[2].trim());
    }
  }
  return out;
}

/** RawConfigParser.write(): `[s]`, `key = value` (newlines -> "\n\t"), a blank line after each section. */
export function writeIni(ini: IniFile): string {
  let out = '';
  for (const [name, keys] of ini) {
    out += `[${name}]\n`;
    for (const [k, v] of keys) out += `${k} = ${v.replace(/\n/g, '\n\t')}\n`;
    out += '\n';
  }
  return out;
}

/** The module's dump(): sections and keys sorted (what Ansible compares to decide "changed"). */
export function dumpIniSorted(ini: IniFile): string {
  let out = '';
  for (const name of [...ini.keys()].sort()) {
    out += `[${name}]\n`;
    const keys = ini.get(name)!;
    for (const k of [...keys.keys()].sort()) out += `${k} = ${keys.get(k)}\n`;
    out += '\n';
  }
  return out;
}
