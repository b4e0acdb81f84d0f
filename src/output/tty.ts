import { Listr, type ListrTaskWrapper } from 'listr2';
import type { Renderer, RunEvent } from './events.js';
import { PlainRenderer } from './plain.js';
import { recapText } from './recap.js';

interface HostRow {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- listr2's renderer type parameters are not exported
  task?: ListrTaskWrapper<unknown, any, any>;
  counts: { ok: number; changed: number; failed: number; skipped: number };
  done: (failed: boolean) => void;
}

/**
 * Live per-host progress for a terminal (listr2): one row per host showing its current task.
 * Failures, diffs and warnings are kept and printed in Ansible's words when the play ends.
 */
export class TtyRenderer implements Renderer {
  private rows = new Map<string, HostRow>();
  private running?: Promise<unknown>;
  private readonly details: PlainRenderer;
  private buffered: RunEvent[] = [];

  constructor(private readonly opts: { out: NodeJS.WritableStream; verbose: number; showDiff: boolean }) {
    this.details = new PlainRenderer(opts);
  }

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'play_start':
        this.startPlay(e.play, e.hosts);
        break;
      case 'task_start':
        for (const h of e.hosts) this.setCurrent(h, `${e.handler ? 'handler ' : ''}${e.task}`);
        break;
      case 'host_result': {
        const row = this.rows.get(e.host);
        if (row) {
          // an ignored unreachable result counts ok and the host goes on, as the recap counts it
          const dark = e.status === 'unreachable' && !e.ignored;
          if (e.status === 'changed') row.counts.changed++;
          else if (e.status === 'failed' || dark) row.counts.failed++;
          else if (e.status === 'skipped') row.counts.skipped++;
          else row.counts.ok++;
          if (dark) row.done(true);
        }
        if (e.status !== 'ok' && e.status !== 'skipped' || e.diff?.length || e.warnings?.length) this.buffered.push(e);
        break;
      }
      case 'warning':
        this.buffered.push(e);
        break;
      case 'recap':
        // A second Ctrl-C: the process exits right after this, nothing buffered will be seen.
        if (e.forced) this.opts.out.write(recapText(e));
        else this.buffered.push(e);
        break;
      case 'stats':
        this.buffered.push(e);
        break;
      default:
        break;
    }
  }

  private startPlay(play: string, hosts: string[]): void {
    this.finishRows();
    this.rows.clear();
    const list = new Listr(
      hosts.map((host) => {
        let settle!: (failed: boolean) => void;
        const outcome = new Promise<boolean>((resolve) => (settle = resolve));
        const row: HostRow = {
          counts: { ok: 0, changed: 0, failed: 0, skipped: 0 },
          done: (failed) => settle(failed),
        };
        this.rows.set(host, row);
        return {
          title: `${host}: connecting`,
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
          task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, any, any>) => {
            row.task = task;
            const failed = await outcome;
            task.title = this.title(host, row, failed ? 'failed' : 'done');
            if (failed) throw new Error(`${host} failed`);
          },
        };
      }),
      // Ctrl-C belongs to the CLI (stop tasks, kill remote commands, recap); listr2's own handler exits 127.
      { concurrent: true, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseErrors: false, formatOutput: 'truncate' } },
    );
    this.opts.out.write(`PLAY [${play}]\n`);
    this.running = list.run().catch(() => undefined);
  }

  private setCurrent(host: string, task: string): void {
    const row = this.rows.get(host);
    if (!row) return;
    if (row.task) row.task.title = this.title(host, row, task);
  }

  private title(host: string, row: HostRow, state: string): string {
    const c = row.counts;
    return `${host}: ${state}  (ok=${c.ok} changed=${c.changed} failed=${c.failed} skipped=${c.skipped})`;
  }

  private finishRows(): void {
    for (const row of this.rows.values()) row.done(row.counts.failed > 0);
  }

  async end(): Promise<void> {
    this.finishRows();
    await this.running;
    for (const e of this.buffered) {
      this.details.onEvent(e);
    }
    this.buffered = [];
  }
}
