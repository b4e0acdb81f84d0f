/**
 * One command on an exec channel of its own, for file transfers: stdin streamed from a controller
 * file and/or stdout streamed into one, with ssh2's flow control end to end, so controller memory
 * stays bounded whatever the file size. A channel costs ~48 ms, nothing next to a large transfer,
 * and the persistent shell stays free of binary data.
 *
 * The command announces itself on stderr with a random token once it runs (after sudo, which
 * may first ask for the password on stderr and read it from stdin); the file is streamed only
 * after that, so sudo can never read file bytes as a password.
 */
import type { OpenChannel } from './shell-channel.js';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sh } from '../shell/quote.js';
import { becomeLaunch, type BecomeSpec } from './become-launch.js';
import { CappedOutput } from './output-limit.js';
import { commandBody } from './shell-protocol.js';
import type { ExecRequest, ExecResult } from './types.js';

interface StreamChannelSpec extends BecomeSpec {
  startTimeoutMs: number;
}


export function isStreamed(req: ExecRequest): boolean {
  return req.stdinFile !== undefined || req.stdoutFile !== undefined;
}

export async function execOnOwnChannel(
  open: OpenChannel,
  req: ExecRequest,
  spec: StreamChannelSpec,
  deathError: (reason: string) => Error,
): Promise<ExecResult> {
  const startedAt = Date.now();
  const token = `FDR${randomBytes(12).toString('hex')}`;
  const { command, prompt } = becomeLaunch(sh`printf '%s\n' ${token} >&2; exec /bin/sh -c ${commandBody(req)}`, spec);
  if (req.stdoutFile !== undefined) await mkdir(dirname(req.stdoutFile), { recursive: true });
  const channel = await open(command);
  return new Promise<ExecResult>((resolve, reject) => {
    const out = new CappedOutput(req.maxOutputBytes);
    const err = new CappedOutput(req.maxOutputBytes);
    const marker = Buffer.from(`${token}\n`);
    let preamble = Buffer.alloc(0);
    let ready = false;
    let passwordSent = false;
    let exitCode: number | undefined;
    let signal: string | undefined;
    let failure: string | undefined;
    let sink: WriteStream | undefined;
    let source: ReadStream | undefined;

    const stop = (reason: string) => {
      failure ??= reason;
      try {
        channel.signal('KILL');
      } catch {
        /* older servers ignore signals; closing the channel still ends the command */
      }
      channel.close();
    };
    const startTimer = setTimeout(() => stop(`command did not start within ${spec.startTimeoutMs} ms`), spec.startTimeoutMs);
    const runTimer = req.timeoutMs ? setTimeout(() => stop(`command timed out after ${req.timeoutMs} ms`), req.timeoutMs) : undefined;

    const begin = () => {
      ready = true;
      clearTimeout(startTimer);
      if (req.stdinFile === undefined) {
        channel.end();
        return;
      }
      source = createReadStream(req.stdinFile);
      source.on('error', (e) => stop(`cannot read ${req.stdinFile}: ${e.message}`));
      source.pipe(channel);
    };

    channel.stderr.on('data', (d: Buffer) => {
      if (ready) return err.push(d);
      preamble = Buffer.concat([preamble, d]).subarray(-4096);
      const at = preamble.indexOf(marker);
      if (at >= 0) {
        err.push(preamble.subarray(at + marker.length));
        begin();
      } else if (prompt && preamble.includes(prompt)) {
        if (passwordSent) return stop(`sudo rejected the become password for ${spec.becomeUser ?? 'root'}`);
        passwordSent = true;
        preamble = Buffer.alloc(0);
        channel.write(`${spec.becomePassword ?? ''}\n`);
      }
    });
    if (req.stdoutFile !== undefined) {
      sink = createWriteStream(req.stdoutFile);
      sink.on('error', (e) => stop(`cannot write ${req.stdoutFile}: ${e.message}`));
      channel.pipe(sink);
    } else {
      channel.on('data', (d: Buffer) => out.push(d));
    }
    channel.on('exit', (code: number | null, sig?: string) => {
      exitCode = code ?? undefined;
      signal = sig;
    });
    channel.on('error', (e: Error) => {
      // Writing stdin after the command exited (it failed early) is not the command's failure.
      if (exitCode === undefined && signal === undefined) stop(`transfer channel error: ${e.message}`);
    });
    channel.on('close', () => {
      clearTimeout(startTimer);
      source?.unpipe(channel);
      source?.destroy();
      if (runTimer) clearTimeout(runTimer);
      const settle = () => {
        if (!ready && failure === undefined) {
          const said = preamble.toString('utf8').trim();
          failure = said ? `command exited before it started: ${said.slice(-500)}` : 'command exited before it started';
        }
        if (failure !== undefined) {
          // A cut download must not be mistaken for a file: the caller gets no result to check.
          if (req.stdoutFile !== undefined) void rm(req.stdoutFile, { force: true }).catch(() => undefined);
          return reject(deathError(failure));
        }
        const stderr = err.toBuffer().toString('utf8');
        resolve({
          stdout: out.toBuffer().toString('utf8'),
          stderr: signal && exitCode === undefined ? `${stderr}killed by signal ${signal}\n` : stderr,
          exitCode: exitCode ?? 255,
          durationMs: Date.now() - startedAt,
        });
      };
      if (!sink || sink.closed) return settle();
      sink.once('close', settle);
      if (!sink.writableEnded) sink.end();
    });
  });
}
