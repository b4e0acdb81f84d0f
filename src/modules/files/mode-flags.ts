/** The permission booleans Ansible's stat and find put in a file's dict, from its octal mode. */
export function modeFlags(octalMode: string | undefined): Record<string, boolean> {
  const mode = parseInt(octalMode ?? '0', 8);
  return {
    wusr: (mode & 0o200) !== 0, rusr: (mode & 0o400) !== 0, xusr: (mode & 0o100) !== 0,
    wgrp: (mode & 0o20) !== 0, rgrp: (mode & 0o40) !== 0, xgrp: (mode & 0o10) !== 0,
    woth: (mode & 0o2) !== 0, roth: (mode & 0o4) !== 0, xoth: (mode & 0o1) !== 0,
    isuid: (mode & 0o4000) !== 0,
    isgid: (mode & 0o2000) !== 0,
  };
}
