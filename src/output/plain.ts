import type { Renderer, RunEvent } from './events.js';
import { banner, recapText } from './recap.js';
import { formatDiff } from './diff.js';

interface PlainOptions {
  out: NodeJS.WritableStream;
  verbose: number;
  showDiff: boolean;
}

/** Ansible default-callback style lines, for logs and non-TTY output. */
export class PlainRenderer implements Renderer {
  constructor(private readonly opts: PlainOptions) {}

  onEvent(e: RunEvent): void {
    const w = (s: string) => this.opts.out.write(s);
    switch (e.type) {
      case 'play_start': {
        const batch = e.batch && e.batch.of > 1 ? ` (batch ${e.batch.index}/${e.batch.of})` : '';
        w(`\n${banner(`PLAY [${e.play}]${batch}`)}\n`);
        break;
      }
      case 'no_hosts':
        w('skipping: no hosts matched\n');
        break;
      case 'task_start':
        w(`\n${banner(`${e.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.task}]`)}\n`);
        break;
      case 'host_result':
        w(this.hostLine(e));
        break;
      case 'warning':
        w(`[WARNING]: ${e.host ? `${e.host}: ` : ''}${e.message}\n`);
        break;
      case 'recap':
        w(recapText(e));
        break;
      case 'stats':
        w('\nEXEC STATS (channels, round trips, controller CPU ms per task)\n');
        for (const [h, s] of Object.entries(e.perHost)) {
          w(`${h.padEnd(26)} : channels=${s.channels} round_trips=${s.roundTrips} cpu_ms_per_task=${s.cpuMsPerTask.toFixed(3)}\n`);
        }
        break;
      case 'playbook_start':
        break;
    }
  }

  private hostLine(e: Extract<RunEvent, { type: 'host_result' }>): string {
    let text = '';
    if (this.opts.showDiff) for (const d of e.diff ?? []) text += formatDiff(d);
    for (const warning of e.warnings ?? []) text += `[WARNING]: ${e.host}: ${warning}\n`;
    const item = e.item !== undefined ? ` => (item=${typeof e.item === 'string' ? e.item : JSON.stringify(e.item)})` : '';
    const verboseResult = this.opts.verbose > 0 && e.result ? ` => ${JSON.stringify(e.result)}` : '';
    // as Ansible's default callback: `ok: [web1 -> localhost]` for a delegated task (not on skips)
    const who = e.delegatedTo === undefined ? e.host : `${e.host} -> ${e.delegatedTo}`;
    switch (e.status) {
      case 'failed':
        text += `fatal: [${who}]${item}: FAILED! => ${JSON.stringify(e.result ?? { msg: e.msg })}\n`;
        break;
      case 'unreachable':
        text += `fatal: [${who}]: UNREACHABLE! => ${JSON.stringify({ msg: e.msg, unreachable: true })}\n`;
        break;
      case 'ignored':
        text += `fatal: [${who}]${item}: FAILED! => ${JSON.stringify(e.result ?? { msg: e.msg })}\n...ignoring\n`;
        break;
      case 'skipped':
        text += `skipping: [${e.host}]${item}${this.opts.verbose > 0 && e.msg ? ` => ${e.msg}` : ''}\n`;
        break;
      default: {
        const debugMsg = e.msg !== undefined && e.status === 'ok' ? ` => ${JSON.stringify({ msg: e.msg }, null, 4)}` : '';
        text += `${e.status}: [${who}]${item}${debugMsg || verboseResult}\n`;
      }
    }
    return text;
  }

  end(): void {}
}
