#!/usr/bin/env node
// npm run demo [-- --hosts N] [-- --keep]
// The main job on a local sandbox fleet: start N systemd hosts (default 3) with the stand-in Falco
// repository, deploy playbooks/site.yml with falco-deploy (the recap, then each host's health and
// last alerts), run again to show nothing changes, make each host raise an alert and gather the
// alerts back (`alerts`), check the fleet and its config drift (`health --playbook`), then remove
// the fleet (--keep leaves it).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'falco-deploy.js');
const args = process.argv.slice(2);
const hosts = args.includes('--hosts') ? Number(args[args.indexOf('--hosts') + 1]) : 3;
const keep = args.includes('--keep');
const name = 'demo';
const dir = join(root, '.sandbox', name);

function step(title) {
  process.stdout.write(`\n=== ${title}\n`);
}

function falcoDeploy(argv, { capture = false, quiet = false } = {}) {
  if (!quiet) process.stdout.write(`$ falco-deploy ${argv.join(' ')}\n`);
  const r = spawnSync('node', [cli, ...argv], { cwd: root, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  return { code: r.status ?? 1, out: r.stdout ?? '' };
}

function ssh(host, command) {
  const r = spawnSync('ssh', ['-F', join(dir, 'ssh_config'), '-o', 'BatchMode=yes', host, command], { encoding: 'utf8' });
  return (r.stdout ?? '').trim();
}

let exitCode = 0;
step(`sandbox: ${hosts} systemd hosts with the stand-in Falco repository`);
if (falcoDeploy(['sandbox', 'up', '--hosts', String(hosts), '--kind', 'systemd', '--name', name]).code !== 0) process.exit(1);
try {
  const inventory = join(dir, 'inventory.ini');
  step('deploy Falco (playbooks/site.yml)');
  exitCode = falcoDeploy(['run', 'playbooks/site.yml', '-i', inventory, '--stats']).code;
  step('second run: nothing to change (exit code, recap)');
  const again = falcoDeploy(['run', 'playbooks/site.yml', '-i', inventory, '--json'], { capture: true });
  const recap = again.out.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'recap');
  for (const [h, s] of Object.entries(recap?.stats ?? {})) process.stdout.write(`${h}: ok=${s.ok} changed=${s.changed} failed=${s.failed}\n`);
  exitCode ||= again.code;
  step('an attack on each host: cat /etc/shadow');
  const names = falcoDeploy(['inventory', '-i', inventory, '--list-hosts'], { capture: true }).out.trim().split('\n');
  for (const h of names) ssh(h, 'cat /etc/shadow > /dev/null');
  step('the alerts, gathered from every host: counts per rule and host');
  const alerted = (out) => new Set(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((a) => /shadow/.test(a.output ?? '')).map((a) => a.host));
  for (let i = 0; i < 20 && alerted(falcoDeploy(['alerts', '-i', inventory, '--since', '10m', '--json'], { capture: true, quiet: true }).out).size < names.length; i++) {
    spawnSync('sleep', ['0.5']);
  }
  exitCode ||= falcoDeploy(['alerts', '-i', inventory, '--since', '10m', '--priority', 'warning', '--summary']).code;
  step('fleet health and config drift against playbooks/site.yml (one probe per host)');
  exitCode ||= falcoDeploy(['health', '-i', inventory, '--playbook', 'playbooks/site.yml']).code;
} finally {
  if (keep) {
    process.stdout.write(`\nThe fleet is still up: ssh -F ${join(dir, 'ssh_config')} ${name}-s1; stop it with: falco-deploy sandbox down --name ${name}\n`);
  } else {
    step('remove the sandbox');
    falcoDeploy(['sandbox', 'down', '--name', name]);
  }
}
process.exit(exitCode);
