import type { RunEvent } from './events.js';

/** A play header or a task header with the events that followed it, from one worker. */
interface Section {
  key: string;
  events: RunEvent[];
  closed: boolean;
  /** How many of `events` were passed on already. */
  sent: number;
}

const PLAY_END = 'play_end';

interface WorkerStream {
  items: (Section | typeof PLAY_END)[];
  /** Occurrences of each task key in the current play (a task name can repeat). */
  seen: Map<string, number>;
  open?: Section;
  done: boolean;
}

/**
 * `run --workers N`: the event streams of N workers (each runs the same plays on its own hosts)
 * as ONE stream, as a single thread would show it: one play header and one header per task with
 * the hosts of all workers, then their results as they come. A task header is passed on once every
 * worker has reached that task (or ended the play without it); workers whose tasks differ (an
 * include only some of them ran) are ordered when they all reach the end of the play.
 */
export class StreamMerger {
  private readonly workers: WorkerStream[];
  private current?: { key: string; parts: Section[] };

  constructor(
    count: number,
    private readonly out: (e: RunEvent) => void,
    /** The hosts in the order a single thread would list them. */
    private readonly order: (hosts: string[]) => string[],
  ) {
    this.workers = Array.from({ length: count }, () => ({ items: [], seen: new Map(), done: false }));
  }

  /** An event of worker `w` (not playbook_start, recap or stats: the caller merges those). */
  push(w: number, e: RunEvent): void {
    const s = this.workers[w];
    if (e.type === 'play_start' || e.type === 'task_start') {
      if (s.open) s.open.closed = true;
      if (e.type === 'play_start') s.seen.clear();
      const base = e.type === 'play_start' ? 'play' : `${e.handler ? 'handler' : 'task'}:${e.task}`;
      const n = s.seen.get(base) ?? 0;
      s.seen.set(base, n + 1);
      s.open = { key: `${base}#${n}`, events: [e], closed: false, sent: 0 };
      s.items.push(s.open);
    } else if (s.open) {
      s.open.events.push(e);
    } else {
      this.out(e);
    }
    this.drain();
  }

  /** Worker `w` finished the play (it waits at the play's barrier). */
  endPlay(w: number): void {
    const s = this.workers[w];
    if (s.open) s.open.closed = true;
    s.open = undefined;
    s.items.push(PLAY_END);
    this.drain();
  }

  /** Worker `w` sends no more events. */
  finish(w: number): void {
    const s = this.workers[w];
    if (s.open) s.open.closed = true;
    s.open = undefined;
    s.done = true;
    this.drain();
  }

  private drain(): void {
    for (;;) {
      if (this.current) {
        for (const part of this.current.parts) this.forward(part);
        if (!this.current.parts.every((p) => p.closed)) return;
        for (const s of this.workers) if (this.current.parts.includes(s.items[0] as Section)) s.items.shift();
        this.current = undefined;
      }
      const live = this.workers.filter((s) => !(s.done && s.items.length === 0));
      if (live.length === 0 || live.some((s) => s.items.length === 0)) return;
      if (live.every((s) => s.items[0] === PLAY_END)) {
        for (const s of live) s.items.shift();
        continue;
      }
      const key = this.nextKey(live);
      if (key === undefined) return;
      const parts = live.map((s) => s.items[0]).filter((h): h is Section => h !== PLAY_END && h.key === key);
      this.current = { key, parts };
      const header = this.header(parts);
      this.out(header);
      if (header.type === 'play_start' && header.hosts.length === 0) this.out({ type: 'no_hosts', play: header.play });
      this.backlog(parts);
    }
  }

  /** The section to pass on next: the one every worker is at, else (at the play's end) one no worker has later. */
  private nextKey(live: WorkerStream[]): string | undefined {
    const heads = live.map((s) => s.items[0]).filter((h): h is Section => h !== PLAY_END);
    const keys = [...new Set(heads.map((h) => h.key))];
    if (keys.length === 1 && heads.length === live.length) return keys[0];
    // Some workers are past the play or at another task: wait until every worker's play is known.
    if (!live.every((s) => s.done || s.items.includes(PLAY_END))) return undefined;
    const later = (s: WorkerStream, key: string) => {
      const end = s.items.indexOf(PLAY_END);
      return s.items.slice(1, end < 0 ? undefined : end).some((i) => i !== PLAY_END && i.key === key);
    };
    return keys.find((k) => !live.some((s) => later(s, k))) ?? keys[0];
  }

  private header(parts: Section[]): RunEvent {
    const heads = parts.map((p) => p.events[0]);
    const first = heads[0];
    for (const p of parts) p.sent = 1;
    const hosts = this.order(heads.flatMap((h) => (h.type === 'play_start' || h.type === 'task_start' ? h.hosts : [])));
    return { ...first, hosts } as RunEvent;
  }

  /** What the workers sent before every one reached this header: host results in host order, as one thread's. */
  private backlog(parts: Section[]): void {
    const waiting = parts.flatMap((p) => p.events.slice(p.sent).filter((e) => e.type !== 'no_hosts'));
    for (const p of parts) p.sent = p.events.length;
    const rank = new Map(this.order(waiting.flatMap((e) => (e.type === 'host_result' ? [e.host] : []))).map((h, i) => [h, i]));
    const at = (e: RunEvent) => (e.type === 'host_result' ? rank.get(e.host)! : -1);
    for (const e of [...waiting].sort((a, b) => at(a) - at(b))) this.out(e);
  }

  private forward(part: Section): void {
    for (; part.sent < part.events.length; part.sent++) {
      const e = part.events[part.sent];
      // One no_hosts for the play, after its header, only when no worker had a host in it (drain).
      if (e.type === 'no_hosts') continue;
      this.out(e);
    }
  }
}
