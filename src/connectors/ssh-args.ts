/**
 * `ansible_ssh_common_args` / `ansible_ssh_extra_args`: the ssh command-line options that
 * matter for connecting, turned into ssh_config directives (lower-cased names). Command-line
 * `-o` beats the config file in OpenSSH, and the first value of a directive wins. Ansible
 * splits these strings with Python's shlex.split, and so do we.
 */
import { shlexSplit } from '../shell/shlex.js';

const FLAG_DIRECTIVES: Record<string, string> = {
  '-J': 'proxyjump',
  '-p': 'port',
  '-l': 'user',
  '-i': 'identityfile',
  '-F': 'configfile',
};

/** Directives from ssh arguments; identityfile may repeat, everything else: first wins. */
export function directivesFromSshArgs(args: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const set = (name: string, value: string) => {
    const key = name.toLowerCase();
    if (key === 'identityfile' || key === 'userknownhostsfile') {
      const prev = out[key];
      const values = key === 'userknownhostsfile' ? value.split(/\s+/).filter(Boolean) : [value];
      out[key] = [...(Array.isArray(prev) ? prev : prev ? [prev] : []), ...values];
    } else if (!(key in out)) {
      out[key] = value;
    }
  };
  const words = shlexSplit(args);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    let option: string | undefined;
    if (w === '-o') option = words[++i];
    else if (w.startsWith('-o')) option = w.slice(2);
    if (option !== undefined) {
      const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=|\s)\s*(.*)$/.exec(option);
      if (m) set(m[1], m[2].replace(/^"(.*)"$/, '$1'));
      continue;
    }
    const flag = w.slice(0, 2);
    const directive = FLAG_DIRECTIVES[flag];
    if (directive) {
      const value = w.length > 2 ? w.slice(2) : words[++i];
      if (value !== undefined) set(directive, value);
    }
  }
  return out;
}

/**
 * `ProxyCommand ssh -W %h:%p [opts] [user@]bastion` (the classic Ansible recipe) as a
 * ProxyJump spec, so it can ride a shared ssh2 bastion connection. Other commands: undefined.
 */
export function proxyCommandAsJump(command: string): string | undefined {
  let words: string[];
  try {
    words = shlexSplit(command);
  } catch {
    return undefined;
  }
  if (words.length < 2 || !/(^|\/)ssh$/.test(words[0]) || !words.includes('-W')) return undefined;
  let user: string | undefined;
  let port: string | undefined;
  let host: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === '-W') {
      if (words[++i] !== '%h:%p') return undefined;
    } else if (w === '-p') port = words[++i];
    else if (w === '-l') user = words[++i];
    else if (w === '-o' || w === '-i' || w === '-F') i++;
    else if (/^-[qvTNnCA46]+$/.test(w)) continue;
    else if (w.startsWith('-')) return undefined;
    else if (host === undefined) host = w;
    else return undefined;
  }
  if (!host) return undefined;
  const [u, h] = host.includes('@') ? [host.slice(0, host.lastIndexOf('@')), host.slice(host.lastIndexOf('@') + 1)] : [user, host];
  return `${u ? `${u}@` : ''}${h}${port ? `:${port}` : ''}`;
}
