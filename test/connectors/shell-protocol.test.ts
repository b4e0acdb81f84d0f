import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { commandScript, FrameReader, newDelimiter, resultsBeforeStop, type Frame } from '../../src/connectors/shell-protocol.js';
import type { ExecRequest } from '../../src/connectors/types.js';
import { loadCases } from './case-files.js';

interface Case {
  name: string;
  command: string;
  stdin?: { text?: string; allBytes?: boolean };
  env?: Record<string, string>;
  cwd?: string;
  expect: {
    stdout?: string;
    stderr?: string;
    exitCode: number;
    stderrIncludes?: string;
    stdoutLength?: number;
    stdoutIsHexOfAllBytes?: boolean;
  };
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const file = loadCases<{ cases: Case[] }>('shell-protocol.yaml');

/** Runs requests through one local /bin/sh fed on stdin; returns frames per stream. */
async function runInLocalShell(reqs: ExecRequest[]): Promise<{ out: Frame[]; err: Frame[] }> {
  const delim = newDelimiter();
  const token = 'READY' + delim;
  const shell = spawn('/bin/sh', ['-c', `printf '%s\\n' ${token} >&2; printf '%s\\n' ${token}; exec /bin/sh`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const outReader = new FrameReader(delim, token);
  const errReader = new FrameReader(delim, token);
  const out: Frame[] = [];
  const err: Frame[] = [];
  // Feed output in odd-sized pieces so frames straddle chunk boundaries.
  const feed = (reader: FrameReader, sink: Frame[]) => (d: Buffer) => {
    for (let i = 0; i < d.length; i += 7) sink.push(...reader.push(d.subarray(i, i + 7)));
  };
  shell.stdout.on('data', feed(outReader, out));
  shell.stderr.on('data', feed(errReader, err));
  shell.stdin.write(reqs.map((r, i) => commandScript(delim, i + 1, r)).join(''));
  shell.stdin.end();
  await new Promise((r) => shell.once('close', r));
  return { out, err };
}

describe('connectors/shell-protocol with a local /bin/sh (test/cases/connectors/shell-protocol.yaml)', () => {
  let results: { out: Frame[]; err: Frame[] };

  before(async () => {
    results = await runInLocalShell(
      file.cases.map((c) => ({
        command: c.command,
        env: c.env,
        cwd: c.cwd,
        stdin: c.stdin?.allBytes ? ALL_BYTES : c.stdin?.text,
      })),
    );
  });

  it('every command produced exactly one stdout and one stderr frame, in order', () => {
    const ids = file.cases.map((_, i) => i + 1);
    expect(results.out.map((f) => f.id)).to.deep.equal(ids);
    expect(results.err.map((f) => f.id)).to.deep.equal(ids);
  });

  file.cases.forEach((c, i) => {
    it(c.name, () => {
      const out = results.out.find((f) => f.id === i + 1);
      const err = results.err.find((f) => f.id === i + 1);
      expect(out, 'stdout frame').to.not.equal(undefined);
      expect(err, 'stderr frame').to.not.equal(undefined);
      const stdout = out!.body.toString('utf8');
      const stderr = err!.body.toString('utf8');
      expect(out!.exitCode).to.equal(c.expect.exitCode);
      expect(err!.exitCode).to.equal(c.expect.exitCode);
      if (c.expect.stdout !== undefined) expect(stdout).to.equal(c.expect.stdout);
      if (c.expect.stderr !== undefined) expect(stderr).to.equal(c.expect.stderr);
      if (c.expect.stderrIncludes !== undefined) expect(stderr.toLowerCase()).to.include(c.expect.stderrIncludes.toLowerCase());
      if (c.expect.stdoutLength !== undefined) expect(out!.body.length).to.equal(c.expect.stdoutLength);
      if (c.expect.stdoutIsHexOfAllBytes) expect(stdout).to.equal(ALL_BYTES.toString('hex'));
    });
  });
});

describe('connectors/FrameReader', () => {
  const delim = 'FDXtestdelim';
  const stream = Buffer.from(
    `noise before ready\nR\n` + `a\nb\n${delim}:1:0\n` + `\n${delim}:2:5\n` + `no-newline\n${delim}:3:0\n`,
  );

  it('drops the preamble and cuts frames at every chunk boundary', () => {
    for (let size = 1; size <= stream.length; size++) {
      const reader = new FrameReader(delim, 'R');
      const frames: Frame[] = [];
      for (let i = 0; i < stream.length; i += size) frames.push(...reader.push(stream.subarray(i, i + size)));
      expect(frames.map((f) => [f.id, f.exitCode, f.body.toString()]), `chunk size ${size}`).to.deep.equal([
        [1, 0, 'a\nb'],
        [2, 5, ''],
        [3, 0, 'no-newline'],
      ]);
      expect(reader.preamble).to.equal('noise before ready\n');
    }
  });

  it('a delimiter-like string with another delimiter is plain output', () => {
    const reader = new FrameReader(delim, 'R');
    const frames = reader.push(Buffer.from(`R\nFDXother:9:9\nx\n${delim}:1:0\n`));
    expect(frames).to.have.length(1);
    expect(frames[0].body.toString()).to.equal('FDXother:9:9\nx');
  });
});

describe('connectors/shell-protocol: the results a batch keeps after a stopBatchUnless failure (table)', () => {
  const cases: { name: string; stops: (number[] | undefined)[]; exits: number[]; kept: number; stopped: boolean }[] = [
    { name: 'no stopBatchUnless: every result', stops: [undefined, undefined], exits: [1, 2], kept: 2, stopped: false },
    { name: 'listed exit codes pass', stops: [[0, 1], [0]], exits: [1, 0], kept: 2, stopped: false },
    { name: 'the first failure ends the list with itself', stops: [[0], [0], undefined], exits: [0, 3, 0], kept: 2, stopped: true },
    { name: 'a failure of a request without stopBatchUnless does not stop', stops: [undefined, [0]], exits: [9, 0], kept: 2, stopped: false },
    { name: 'an empty list stops on any exit code', stops: [[]], exits: [0], kept: 1, stopped: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = resultsBeforeStop(c.stops.map((stopBatchUnless) => ({ stopBatchUnless })), c.exits.map((exitCode) => ({ exitCode })));
      expect(out.kept).to.have.length(c.kept);
      expect(out.stopped).to.equal(c.stopped);
    });
  }
});
