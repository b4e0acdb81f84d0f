/**
 * ansible.posix.mount's fstab editing on Linux (_set_mount_save_old, unset_mount; collection 1.5.4),
 * pure: lines are kept as written unless they are the entry for `name`.
 */
import { pyStrip } from '../../python/boolean.js';

export interface FstabEntry {
  name: string;
  src?: string;
  fstype?: string;
  opts: string;
  dump: string;
  passno: string;
}

/** _escape_fstab: backslash, space and & as octal escapes. */
const escape = (v: string) => v.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/&/g, '\\046');

/** Python file readlines(): universal newlines, each line keeping its "\n". */
const readLines = (text: string) => text.replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
const fieldsOf = (line: string) => pyStrip(line).split(/\s+/).filter(Boolean);

/** Is this line the entry for `name` (a swap line also needs the same src)? */
function isEntry(ld: Record<string, string | number>, e: FstabEntry): boolean {
  if (ld.name !== escape(e.name)) return false;
  return !(e.src !== undefined && ld.name === 'none' && ld.fstype === 'swap' && ld.src !== e.src);
}

/** The new text when the entry is added or changed (present, mounted); undefined when it is already right. */
export function setMount(text: string, e: FstabEntry): string | undefined {
  const want: Record<string, string> = { src: escape(e.src ?? ''), name: escape(e.name), fstype: escape(e.fstype ?? ''), opts: escape(e.opts), dump: escape(e.dump), passno: escape(e.passno) };
  const format = (ld: Record<string, string | number>) => `${ld.src} ${ld.name} ${ld.fstype} ${ld.opts} ${ld.dump} ${ld.passno}\n`;
  const out: string[] = [];
  let exists = false;
  let changed = false;
  for (let line of readLines(text)) {
    if (!line.endsWith('\n')) line += '\n';
    const fields = fieldsOf(line);
    if (!pyStrip(line) || pyStrip(line).startsWith('#') || ![4, 5, 6].includes(fields.length)) {
      out.push(line);
      continue;
    }
    // a 4- or 5-field line has dump/passno 0 (numbers: never equal to the wanted strings)
    const ld: Record<string, string | number> = { dump: 0, passno: 0 };
    ['src', 'name', 'fstype', 'opts', 'dump', 'passno'].forEach((k, i) => {
      if (i < fields.length) ld[k] = fields[i];
    });
    if (!isEntry(ld, e)) {
      out.push(line);
      continue;
    }
    exists = true;
    for (const k of ['src', 'fstype', 'opts', 'dump', 'passno']) {
      if (ld[k] !== want[k]) {
        ld[k] = want[k];
        changed = true;
      }
    }
    out.push(changed ? format(ld) : line);
  }
  if (!exists) {
    out.push(format(want));
    changed = true;
  }
  return changed ? out.join('') : undefined;
}

/** The new text without the entry (absent, absent_from_fstab); undefined when there is none. Only 6-field lines count. */
export function unsetMount(text: string, e: FstabEntry): string | undefined {
  const out: string[] = [];
  let changed = false;
  for (const line of readLines(text)) {
    const fields = fieldsOf(line);
    if (!pyStrip(line) || pyStrip(line).startsWith('#') || fields.length !== 6) {
      out.push(line);
      continue;
    }
    const [src, name, fstype] = fields;
    if (!isEntry({ src, name, fstype }, e)) {
      out.push(line);
      continue;
    }
    changed = true;
  }
  return changed ? out.join('') : undefined;
}

/** The old lines as the module saves them for a rollback (a missing final newline added). */
export function savedLines(text: string): string {
  return readLines(text).map((l) => (l.endsWith('\n') ? l : `${l}\n`)).join('');
}
