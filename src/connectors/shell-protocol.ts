/**
 * Framing for the persistent remote shell. Each command is written as
 *
 *   ( cd DIR || exit 1; export K=V; eval 'CMD' ) </dev/null; __fd_rc=$?
 *   printf '\n%s:%d:%d\n' DELIM ID "$__fd_rc" >&2; printf '\n%s:%d:%d\n' DELIM ID "$__fd_rc"
 *
 * so stdout and stderr each end with a trailer line carrying a random per-shell delimiter, the
 * command id and its exit code. `eval` inside a subshell keeps syntax errors, `exit` and `cd`
 * away from the long-lived shell; stdin is /dev/null or the request's bytes (base64 in a
 * here-doc with a random terminator) so a command can never read the next command.
 * The delimiter is never printed by us except in trailers, and it is random, so command
 * output cannot forge a frame. The shell announces itself with a separate ready token;
 * output before it (rc files, sudo messages) is kept as `preamble`, not as a result.
 */
import { randomBytes } from 'node:crypto';
import { quote, raw, sh } from '../shell/quote.js';
import { CappedOutput, OUTPUT_LIMIT_BYTES } from './output-limit.js';
import type { ExecRequest } from './types.js';

export function newDelimiter(): string {
  return `FDX${randomBytes(16).toString('hex')}`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `cd DIR || exit 1; export K=V; eval 'CMD'`: the request as one shell command list. */
export function commandBody(req: Pick<ExecRequest, 'command' | 'cwd' | 'env'>): string {
  const inner: string[] = [];
  if (req.cwd !== undefined) inner.push(sh`cd ${req.cwd} || exit 1`);
  for (const [k, val] of Object.entries(req.env ?? {})) {
    if (!ENV_NAME.test(k)) throw new Error(`invalid environment variable name: ${JSON.stringify(k)}`);
    inner.push(`export ${k}=${quote(val)}`);
  }
  inner.push(sh`eval ${req.command}`);
  return inner.join('; ');
}

/**
 * One request as shell text. In a `guarded` batch (one that holds a request with
 * stopBatchUnless) every command runs only while `__fd_stop` is empty, and a stopBatchUnless
 * request whose exit code is not listed sets it: the commands after it are skipped but still
 * framed (exit code 255), so the reader stays in step; the connection drops their results.
 */
export function commandScript(delim: string, id: number, req: ExecRequest, guarded = false): string {
  const subshell = `( ${commandBody(req)} )`;
  const printTrailers =
    sh`printf '\n%s:%d:%d\n' ${delim} ${id} ${raw('"$__fd_rc"')} >&2; ` + sh`printf '\n%s:%d:%d\n' ${delim} ${id} ${raw('"$__fd_rc"')}` + '\n';
  let run: string;
  if (req.stdin === undefined || req.stdin.length === 0) run = `${subshell} </dev/null; `;
  else {
    const terminator = `FDEOF_${randomBytes(12).toString('hex')}`;
    const b64 = Buffer.from(req.stdin).toString('base64').replace(/.{1,76}/g, '$&\n');
    run = `base64 -d <<'${terminator}' | ${subshell}\n${b64}${terminator}\n`;
  }
  if (!guarded) return `${run}__fd_rc=$?; ${printTrailers}`;
  const stop = req.stopBatchUnless ? `case $__fd_rc in ${req.stopBatchUnless.map(String).join('|') || '""'}) ;; *) __fd_stop=1 ;; esac; ` : '';
  return `if [ -z "\${__fd_stop-}" ]; then ${run}__fd_rc=$?; ${stop}else __fd_rc=255; fi; ${printTrailers}`;
}

/** Written before the commands of a guarded batch: a new batch starts with nothing stopped. */
export const GUARDED_BATCH_START = '__fd_stop=\n';

/** The results a batch keeps: up to and including the first request that failed its stopBatchUnless. */
export function resultsBeforeStop<T extends { exitCode: number }>(reqs: readonly Pick<ExecRequest, 'stopBatchUnless'>[], results: T[]): { kept: T[]; stopped: boolean } {
  const at = results.findIndex((r, i) => reqs[i]?.stopBatchUnless !== undefined && !reqs[i].stopBatchUnless!.includes(r.exitCode));
  return at < 0 ? { kept: results, stopped: false } : { kept: results.slice(0, at + 1), stopped: true };
}

export interface Frame {
  id: number;
  exitCode: number;
  body: Buffer;
}

/**
 * Cuts one output stream (stdout or stderr) into frames. The body of a frame is everything
 * after the previous trailer up to the newline we print before the delimiter. Bodies are kept
 * in a CappedOutput (each frame's limit set in order by `expect`), so a huge output is cut
 * with a note instead of being held whole.
 */
export class FrameReader {
  /** Growable buffer; bytes [start, end) are not yet consumed. */
  private buf = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Where the next trailer search begins (earlier bytes hold no complete trailer start). */
  private scanFrom = 0;
  private ready = false;
  private readonly readyMarker: Buffer;
  private readonly trailerStart: Buffer;
  /** Output limits of the commands sent and not yet framed, in order. */
  private readonly limits: number[] = [];
  private body?: CappedOutput;
  /** Output seen before the shell was ready (rc-file noise, sudo messages), last 4 KiB. */
  preamble = '';

  constructor(delim: string, readyToken: string) {
    this.readyMarker = Buffer.from(`${readyToken}\n`);
    this.trailerStart = Buffer.from(`\n${delim}:`);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The next command written to the shell keeps at most `limit` bytes of this stream. */
  expect(limit = OUTPUT_LIMIT_BYTES): void {
    this.limits.push(limit);
  }

  push(chunk: Buffer): Frame[] {
    this.append(chunk);
    const frames: Frame[] = [];
    if (!this.ready) {
      const at = this.view().indexOf(this.readyMarker);
      if (at < 0) {
        this.preamble = this.view().toString('utf8').slice(-4096);
        return frames;
      }
      this.preamble = this.view().subarray(0, at).toString('utf8');
      this.ready = true;
      this.start += at + this.readyMarker.length;
      this.scanFrom = this.start;
    }
    for (;;) {
      const filled = this.buf.subarray(0, this.end);
      const at = filled.indexOf(this.trailerStart, this.scanFrom);
      if (at < 0) {
        this.scanFrom = Math.max(this.start, this.end - this.trailerStart.length);
        break;
      }
      const eol = filled.indexOf(0x0a, at + this.trailerStart.length);
      if (eol < 0) {
        this.scanFrom = at;
        break;
      }
      const [id, rc] = this.buf.subarray(at + this.trailerStart.length, eol).toString('latin1').split(':').map(Number);
      const body = this.currentBody();
      body.push(this.buf.subarray(this.start, at));
      this.body = undefined;
      this.limits.shift();
      frames.push({ id, exitCode: rc, body: body.toBuffer() });
      this.start = eol + 1;
      this.scanFrom = this.start;
    }
    // Bytes before scanFrom cannot start a trailer: they belong to the current frame's body.
    if (this.scanFrom > this.start) {
      this.currentBody().push(this.buf.subarray(this.start, this.scanFrom));
      this.start = this.scanFrom;
    }
    if (this.start === this.end && this.buf.length > 1024 * 1024) {
      // Drop a big buffer a large chunk left behind.
      this.buf = Buffer.alloc(0);
      this.start = this.end = this.scanFrom = 0;
    }
    return frames;
  }

  /** Forget output buffered before ready (e.g. a sudo prompt already answered). */
  dropPreamble(): void {
    if (this.ready) return;
    this.start = this.end;
    this.preamble = '';
  }

  private currentBody(): CappedOutput {
    this.body ??= new CappedOutput(this.limits[0] ?? OUTPUT_LIMIT_BYTES);
    return this.body;
  }

  private view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  private append(chunk: Buffer): void {
    const live = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      const next = Buffer.alloc(Math.max(64 * 1024, (live + chunk.length) * 2));
      this.buf.copy(next, 0, this.start, this.end);
      this.scanFrom -= this.start;
      this.start = 0;
      this.end = live;
      this.buf = next;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }
}
