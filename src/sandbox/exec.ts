/** Running controller-side commands (ip, mount, iptables, ...) with errors a person can act on. */
import { spawn } from 'node:child_process';
import { FalcoDeployError } from '../errors.js';
import { quoteArgv } from '../shell/quote.js';

interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

interface RunOptions {
  /** Written to stdin. */
  input?: string;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  timeoutMs?: number;
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) =>
      reject(new FalcoDeployError(`cannot run ${argv[0]}: ${err.message}`, { phase: 'sandbox', cause: err })),
    );
    child.on('close', (code, signal) => {
      const result = { stdout, stderr, code: code ?? 128 };
      if (result.code === 0 || opts.allowFailure) return resolve(result);
      reject(
        new FalcoDeployError(
          `\`${quoteArgv(argv)}\` failed (${signal ? `signal ${signal}` : `exit ${code}`}): ${lastLine(stderr) || lastLine(stdout)}`,
          { phase: 'sandbox', details: stderr.trim() },
        ),
      );
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
