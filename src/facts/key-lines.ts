import { SBIN_PATH } from './sysctl.js';

/**
 * Probe output as `key=value` lines, for probes that report several small things at once; file
 * contents and command output travel base64-encoded so any byte survives.
 */

/** Shell function `capture NAME CMD...`: runs CMD and prints NAME.rc=, NAME.out= and NAME.err= (base64) lines. */
const CAPTURE_FUNCTION = [
  'capture() {',
  '  n=$1; shift; o=$(mktemp) && e=$(mktemp) || return 1',
  '  "$@" >"$o" 2>"$e"; echo "$n.rc=$?"',
  '  printf \'%s.out=\' "$n"; base64 -w0 <"$o"; echo',
  '  printf \'%s.err=\' "$n"; base64 -w0 <"$e"; echo',
  '  rm -f "$o" "$e"',
  '}',
].join('\n');

/** Shell function `file_b64 NAME FILE`: prints NAME= and FILE's base64 when it is a readable regular file, NAME.unreadable=1 when it exists otherwise. */
const FILE_FUNCTION = [
  'file_b64() {',
  '  if [ -f "$2" ] && [ -r "$2" ]; then printf \'%s=\' "$1"; base64 -w0 <"$2"; echo',
  '  elif [ -e "$2" ]; then echo "$1.unreadable=1"; fi',
  '}',
].join('\n');

/** Start of such a probe: get_bin_path's search path (printed as path=), and the capture and file_b64 functions. */
export const KEY_LINES_PRELUDE = [SBIN_PATH, 'echo "path=$PATH"', CAPTURE_FUNCTION, FILE_FUNCTION].join('\n');

/** The directories get_bin_path searches, as its "in paths:" message lists them: PATH, then the sbin directories PATH lacks. */
export function searchedPath(path: string): string {
  return [...new Set(path.split(':'))].join(':');
}

export interface CapturedRun {
  rc: number;
  out: string;
  err: string;
}

const fromBase64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export class KeyLines {
  private readonly values = new Map<string, string>();

  constructor(stdout: string) {
    for (const line of stdout.split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) this.values.set(line.slice(0, i), line.slice(i + 1));
    }
  }

  text(key: string): string | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** A value printed base64-encoded (file_b64), decoded; undefined when it was not printed. */
  decoded(key: string): string | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : fromBase64(v);
  }

  /** What `capture NAME ...` printed; undefined when it did not run. */
  run(name: string): CapturedRun | undefined {
    const rc = this.values.get(`${name}.rc`);
    if (rc === undefined) return undefined;
    return { rc: Number(rc), out: fromBase64(this.values.get(`${name}.out`) ?? ''), err: fromBase64(this.values.get(`${name}.err`) ?? '') };
  }
}
