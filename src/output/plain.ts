import type { Renderer, RunEvent } from './events.js';
import { banner, recapText } from './recap.js';
import { formatDiff } from './diff.js';
import { dumpResult } from './ansible-result.js';

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
      case 'no_hosts_remaining':
        w(`\n${banner('NO MORE HOSTS LEFT')}\n`);
        break;
      case 'task_start':
        w(`\n${banner(`${e.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.task}]`)}\n`);
        break;
      case 'host_result':
        w(this.hostLine(e));
        break;
      case 'include':
        w(`included: ${e.file} for ${e.hosts.join(', ')}${e.label === undefined ? '' : ` => (item=${e.label})`}\n`);
        break;
      case 'retry':
        w(`FAILED - RETRYING: [${e.host}]: ${e.task} (${e.retriesLeft} retries left).${this.opts.verbose > 1 && e.result ? `Result was: ${dumpResult(e.result, { verbose: this.opts.verbose })}` : ''}\n`);
        break;
      case 'warning':
        w(`[WARNING]: ${e.host ? `${e.host}: ` : ''}${e.message}\n`);
        break;
      case 'recap':
        // ansible-playbook ends with an empty line after the recap
        w(`${recapText(e)}\n`);
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
    // the engine attaches a diff only where --diff or the task's `diff:` asks for one
    for (const d of e.diff ?? []) text += formatDiff(d);
    // meta tasks: Ansible's strategy reports only a skip
    if (e.action === 'meta' && e.status !== 'skipped') return text;
    for (const warning of e.warnings ?? []) text += `[WARNING]: ${e.host}: ${warning}\n`;
    // as Ansible's default callback: `ok: [web1 -> localhost]` for a delegated task (not on skips)
    const who = e.delegatedTo === undefined ? e.host : `${e.host} -> ${e.delegatedTo}`;
    const result = e.result ?? { msg: e.msg };
    // a skip never ran the action, so debug's "always verbose" does not apply to it
    const dump = (r: Record<string, unknown>, skipped = false) =>
      dumpResult(r, { action: e.action, verbose: this.opts.verbose, verboseAlways: e.verboseAlways && !skipped });
    const shown = (r: Record<string, unknown>) => (this.opts.verbose > 0 || e.verboseAlways ? ` => ${dump(r)}` : '');
    const items = e.itemLabels && Array.isArray(result.results) ? (result.results as Record<string, unknown>[]) : undefined;
    if (items) {
      // a loop: one line per item, as each item's callback prints it; the task's own line only for a skip
      items.forEach((r, i) => (text += this.itemLine(who, e.host, e.itemLabels![i] ?? '', r, dump, shown)));
      if (!e.noLog) {
        if (e.status === 'skipped') text += `skipping: [${e.host}]\n`;
        if (e.status === 'ignored') text += '...ignoring\n';
        return text;
      }
    }
    // a censored loop's own line: the aggregate result, which debug's "always verbose" is not
    const own = items ? Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'results')) : result;
    const ownShown = items ? (this.opts.verbose > 0 ? ` => ${dump(own, true)}` : '') : shown(own);
    switch (e.status) {
      case 'failed':
        text += `fatal: [${who}]: FAILED! => ${dump(own)}\n`;
        break;
      case 'unreachable':
        text += `fatal: [${who}]: UNREACHABLE! => ${dump({ changed: false, msg: e.msg, unreachable: true })}\n${e.ignored ? '...ignoring\n' : ''}`;
        break;
      case 'ignored':
        text += `fatal: [${who}]: FAILED! => ${dump(own)}\n...ignoring\n`;
        break;
      case 'skipped':
        text += `skipping: [${e.host}]${this.opts.verbose > 0 ? ` => ${dump(own, true)}` : ''}\n`;
        break;
      default:
        text += `${e.status}: [${who}]${ownShown}\n`;
    }
    return text;
  }

  private itemLine(
    who: string,
    host: string,
    label: string,
    r: Record<string, unknown>,
    dump: (r: Record<string, unknown>, skipped?: boolean) => string,
    shown: (r: Record<string, unknown>) => string,
  ): string {
    if (r.failed) return `failed: [${who}] (item=${label}) => ${dump(r)}\n`;
    if (r.skipped) return `skipping: [${host}] => (item=${label}) ${this.opts.verbose > 0 ? ` => ${dump(r, true)}` : ''}\n`;
    return `${r.changed ? 'changed' : 'ok'}: [${who}] => (item=${label})${shown(r)}\n`;
  }

  end(): void {}
}
