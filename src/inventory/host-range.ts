/**
 * Host entries as Ansible's inventory plugins read them: `name`, `name:port`, `[ipv6]:port`,
 * and ranges `web[01:20]`, `db[1:9:2]`, `x[a:f]` (several ranges multiply out).
 */

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const IPV6_COMPONENT = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const IPV4_COMPONENT = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
const LABEL = `(?:[\\p{L}\\p{N}_]|${ALNUM_RANGE})(?:[\\p{L}\\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(`^(?:${IPV4_COMPONENT}\\.){3}${IPV4_COMPONENT}$`, 'i');
const C = IPV6_COMPONENT;
const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${C}:){7}${C}`,
      `(?:${C}:){1,6}:`,
      `(?:${C}:)(?::${C}){1,6}`,
      `(?:${C}:){2}(?::${C}){1,5}`,
      `(?:${C}:){3}(?::${C}){1,4}`,
      `(?:${C}:){4}(?::${C}){1,3}`,
      `(?:${C}:){5}(?::${C}){1,2}`,
      `(?:${C}:){6}(?::${C})`,
      `:(?::${C}){1,6}`,
      `${C}?::`,
      `(?:0:){6}(?:${C}\\.){3}${C}`,
      `::(?:ffff:)?(?:${C}\\.){3}${C}`,
      `(?:0:){5}ffff:(?:${C}\\.){3}${C}`,
    ].join('|') +
    ')$',
  'i',
);
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu');

export function isIpAddress(name: string): boolean {
  return IPV4.test(name) || IPV6.test(name);
}

/** parse_address(allow_ranges=True): [host, port] or undefined when not a valid host. */
export function parseAddress(address: string): [string, number | undefined] | undefined {
  let host = address;
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(host);
    if (m) {
      host = m[1];
      port = Number(m[2]);
    }
  }
  if (IPV4.test(host) || IPV6.test(host) || HOSTNAME.test(host)) return [host, port];
  return undefined;
}

/** _expand_hostpattern: host names and the optional port. Throws Error with Ansible's text. */
export function expandHostPattern(pattern: string): { hosts: string[]; port?: number } {
  const parsed = parseAddress(pattern);
  const [name, port] = parsed ?? [pattern, undefined];
  const hosts = name.includes('[') ? expandHostnameRange(name) : [name];
  return { hosts, port };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** More hosts than this from one inventory line is a typo or an attack, not a fleet. */
const MAX_RANGE_HOSTS = 100_000;

/** expand_hostname_range: the first [a:b(:step)] expands, then recursion handles the rest. */
function expandHostnameRange(line: string): string[] {
  // Python: line.replace('[','|',1).replace(']','|',1).split('|') must give exactly 3 parts.
  const replaced = line.replace('[', '|').replace(']', '|');
  const parts = replaced.split('|');
  if (parts.length !== 3) {
    throw new Error(`${parts.length > 3 ? 'too many' : 'not enough'} values to unpack (expected 3, got ${parts.length})`);
  }
  const [head, nrange, tail] = parts;
  const bounds = nrange.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error('host range must be begin:end or begin:end:step');
  const end = bounds[1];
  let beg = bounds[0];
  const stepText = bounds.length === 3 ? bounds[2] : '1';
  if (!beg) beg = '0';
  if (!end) throw new Error('host range must specify end value');
  let fill = (x: string | number) => String(x);
  if (beg[0] === '0' && beg.length > 1) {
    const width = beg.length;
    if (width !== end.length) throw new Error('host range must specify equal-length begin and end formats');
    fill = (x) => String(x).padStart(width, '0');
  }
  const step = pyInt(stepText);
  if (step === 0) throw new Error('range() arg 3 must not be zero');
  let seq: Array<string | number>;
  const iBeg = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const iEnd = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (iBeg !== -1 && iEnd !== -1) {
    if (iBeg > iEnd) throw new Error('host range must have begin <= end');
    seq = [];
    if (step > 0) for (let i = iBeg; i <= iEnd; i += step) seq.push(LETTERS[i]);
  } else {
    const b = pyInt(beg);
    const e = pyInt(end);
    if (Math.abs(e - b) / Math.abs(step) >= MAX_RANGE_HOSTS) throw tooManyHosts();
    seq = [];
    if (step > 0) for (let i = b; i <= e; i += step) seq.push(i);
    else for (let i = b; i > e + 1; i += step) seq.push(i);
  }
  const out: string[] = [];
  for (const item of seq) {
    const name = head + fill(item) + tail;
    if (name.includes('[')) out.push(...expandHostnameRange(name));
    else out.push(name);
    if (out.length > MAX_RANGE_HOSTS) throw tooManyHosts();
  }
  return out;
}

function tooManyHosts(): Error {
  return new Error(`host range expands to more than ${MAX_RANGE_HOSTS} hosts`);
}

/** Python int() of a range bound: decimal digits (with optional sign/underscores) only. */
function pyInt(text: string): number {
  const t = text.trim();
  if (!/^[-+]?[0-9](?:_?[0-9])*$/.test(t)) {
    throw new Error(`invalid literal for int() with base 10: '${text}'`);
  }
  return Number(t.replace(/_/g, ''));
}
