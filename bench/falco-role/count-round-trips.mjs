// Preloaded into the falco-deploy process by bench/falco-role.ts (node --import): counts the exec
// round trips each task costs on each host and the process's own CPU time and peak RSS, and writes
// them as one last --json line ({"type":"bench_tally"}). Bench only: the engine knows nothing of it.
import { writeSync } from 'node:fs';
import { ShellHostConnection } from '../../dist/connectors/shell-connection.js';

let task = '(before the first task)';
const byTask = new Map();
const writeOut = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  for (const line of String(chunk).split('\n')) {
    if (line.startsWith('{"type":"task_start"')) {
      const e = JSON.parse(line);
      task = `${e.handler ? 'handler: ' : ''}${e.task}`;
    }
    // `run` reads the hosts' health after the recap, outside the play's --stats
    if (line.startsWith('{"type":"recap"')) task = '(after the recap: the health table, not in --stats)';
  }
  return writeOut(chunk, ...rest);
};

// execBatch makes one round trip per call of shell(key) (a batch for one shell) or streamed().
for (const method of ['shell', 'streamed']) {
  const original = ShellHostConnection.prototype[method];
  ShellHostConnection.prototype[method] = function (...args) {
    const perHost = byTask.get(task) ?? new Map();
    perHost.set(this.name, (perHost.get(this.name) ?? 0) + 1);
    byTask.set(task, perHost);
    return original.apply(this, args);
  };
}

process.on('exit', () => {
  const usage = process.resourceUsage();
  const tally = [...byTask].map(([name, perHost]) => ({ task: name, roundTrips: Object.fromEntries(perHost) }));
  const line = { type: 'bench_tally', cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMb: usage.maxRSS / 1024, byTask: tally };
  writeSync(1, `${JSON.stringify(line)}\n`);
});
