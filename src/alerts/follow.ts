/**
 * --follow: every host is polled over its one persistent connection (a follow read is one
 * round trip of a few hundred microseconds) and new alerts are handed on as they come. A file
 * source is tracked by inode + offset, so rotation and truncation lose nothing; a host whose
 * connection drops is reported, reconnected, and its gap stated (the saved offset or journal
 * cursor then reads what was written meanwhile).
 */
import type { HostConnection } from '../connectors/types.js';
import { parseJsonAlert, timeOfEpochMs, type Alert } from './alert-line.js';
import { completeLines, followProbe, type FilePosition } from './file-probes.js';
import { collect, probe, type ProbeOptions } from './host-source.js';
import type { AlertSource } from './source-probe.js';
import { journalProbe } from './journal-probe.js';
import { mergeByTime } from './report.js';

export interface FollowedHost {
  name: string;
  source: AlertSource;
  position?: FilePosition;
  cursor?: string;
  /** Journal without a cursor yet: read from this time. */
  sinceEpochSec: number;
}

interface FollowSink {
  alerts(batch: Alert[]): void;
  malformed(host: string, count: number): void;
  note(host: string, message: string): void;
}

interface FollowOptions extends ProbeOptions {
  pollMs: number;
  maxBytes: number;
  signal: AbortSignal;
  connect(host: string): Promise<HostConnection>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const STATE_NOTES: Record<string, (path: string) => string> = {
  rotated: (p) => `${p} was rotated: the rest of the old file was read, then the new one from its start`,
  truncated: (p) => `${p} was truncated: reading it again from its start`,
  missing: (p) => `${p} is gone (rotated, not yet re-created): waiting for it`,
};

async function pollOnce(h: FollowedHost, conn: HostConnection, carry: { text: string }, opts: FollowOptions, sink: FollowSink): Promise<void> {
  if (h.source.kind === 'file') {
    const path = h.source.path;
    const r = await probe(conn, followProbe(path, h.position ?? { inode: 0, offset: 0 }, opts.maxBytes), opts);
    if (r.state !== 'same' && !(r.state === 'missing' && h.position?.inode === 0)) sink.note(h.name, STATE_NOTES[r.state]!(path));
    h.position = { inode: r.inode, offset: r.offset };
    const { lines, rest } = completeLines(carry.text + r.text);
    carry.text = rest;
    const { alerts, malformed } = collect(lines.map((l) => parseJsonAlert(l, h.name)));
    if (malformed) sink.malformed(h.name, malformed);
    if (alerts.length) sink.alerts(mergeByTime(alerts));
    return;
  }
  const from = h.cursor ? { cursor: h.cursor } : { sinceEpochSec: h.sinceEpochSec };
  const j = await probe(conn, journalProbe(h.source.unit, from, h.name), opts);
  if (j.cursor) h.cursor = j.cursor;
  const { alerts, malformed } = collect(j.results);
  if (malformed) sink.malformed(h.name, malformed);
  if (alerts.length) sink.alerts(mergeByTime(alerts));
}

async function followHost(h: FollowedHost, opts: FollowOptions, sink: FollowSink): Promise<void> {
  let conn: HostConnection | undefined;
  let downSince: number | undefined;
  const carry = { text: '' };
  while (!opts.signal.aborted) {
    try {
      conn ??= await opts.connect(h.name);
      if (downSince !== undefined) {
        const now = Date.now();
        sink.note(
          h.name,
          `reconnected: no connection from ${timeOfEpochMs(downSince)} to ${timeOfEpochMs(now)} (${((now - downSince) / 1000).toFixed(1)} s); ` +
            `alerts written in that gap follow now (read from the last ${h.source.kind === 'file' ? 'offset' : 'journal cursor'})`,
        );
        downSince = undefined;
      }
      await pollOnce(h, conn, carry, opts, sink);
    } catch (err) {
      if (opts.signal.aborted) break;
      if (downSince === undefined) {
        downSince = Date.now();
        sink.note(h.name, `connection lost (${(err as Error).message.split('\n')[0]}): reconnecting`);
      }
      void conn?.close();
      conn = undefined;
    }
    await sleep(opts.pollMs, opts.signal);
  }
}

/** Runs until `opts.signal` aborts (Ctrl-C). */
export async function followAll(hosts: FollowedHost[], opts: FollowOptions, sink: FollowSink): Promise<void> {
  await Promise.all(hosts.map((h) => followHost(h, opts, sink)));
}
