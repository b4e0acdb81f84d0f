import { emptyStats, type HostStats, type HostStatus } from '../output/events.js';

/** Per-host recap counters, counted the way Ansible's TaskQueueManager does. */
export class RunStats {
  private readonly byHost = new Map<string, HostStats>();

  host(h: string): HostStats {
    let s = this.byHost.get(h);
    if (!s) this.byHost.set(h, (s = emptyStats()));
    return s;
  }

  /** One task result. `changed` counts for failed-but-ignored results too, as in Ansible. */
  record(host: string, status: HostStatus, changed: boolean): void {
    const s = this.host(host);
    switch (status) {
      case 'ok':
        s.ok++;
        break;
      case 'changed':
        s.ok++;
        s.changed++;
        break;
      case 'ignored':
        s.ok++;
        s.ignored++;
        if (changed) s.changed++;
        break;
      case 'failed':
        s.failed++;
        break;
      case 'skipped':
        s.skipped++;
        break;
      case 'unreachable':
        s.unreachable++;
        break;
      case 'rescued':
        s.rescued++;
        break;
    }
  }

  /** An unreachable result: dark, or with ignore_unreachable ok + ignored (Ansible's strategy). */
  unreachable(host: string, ignored: boolean): void {
    this.record(host, ignored ? 'ignored' : 'unreachable', false);
  }

  snapshot(): Record<string, HostStats> {
    return Object.fromEntries([...this.byHost].map(([h, s]) => [h, { ...s }]));
  }
}
