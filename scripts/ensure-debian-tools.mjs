#!/usr/bin/env node
// Makes sure the Debian packages a purpose needs (`test`, `demo`, ...) are installed.
//   node scripts/ensure-debian-tools.mjs test|demo
// The list lives in molecule-like-fixtures/sandbox/debian-packages.json (one place).
// Fast path: one dpkg-query call. Root on Debian installs what is missing (apt-get update once);
// anyone else is told what to install and gets exit status 1.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const listFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'molecule-like-fixtures', 'sandbox', 'debian-packages.json');

function packagesFor(purpose) {
  const spec = JSON.parse(readFileSync(listFile, 'utf8'));
  const groups = spec.purposes?.[purpose];
  if (!groups) {
    const known = Object.keys(spec.purposes ?? {}).join(', ');
    fail(`unknown purpose "${purpose}" (known: ${known}); see ${listFile}`, 2);
  }
  const packages = new Set();
  for (const group of groups) {
    const members = spec.groups?.[group];
    if (!members) fail(`${listFile}: purpose "${purpose}" names unknown group "${group}"`, 2);
    for (const name of Object.keys(members)) packages.add(name);
  }
  return [...packages].sort();
}

function missingPackages(packages) {
  // Unknown names make dpkg-query exit 1 and complain on stderr; they simply count as missing.
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package}\t${db:Status-Abbrev}\n', ...packages], { encoding: 'utf8' });
  const installed = new Set(
    (r.stdout ?? '')
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([, status]) => status?.startsWith('ii'))
      .map(([name]) => name.split(':')[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

function run(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) fail(`\`${argv.join(' ')}\` failed (exit ${r.status ?? r.signal})`, 1);
}

function fail(message, code) {
  process.stderr.write(`ensure-debian-tools: ${message}\n`);
  process.exit(code);
}

const purpose = process.argv[2];
if (!purpose) fail('usage: node scripts/ensure-debian-tools.mjs test|demo', 2);
const packages = packagesFor(purpose);

if (!existsSync('/usr/bin/dpkg-query')) {
  process.stderr.write(`ensure-debian-tools: not a Debian system; make sure these (Debian names) are installed: ${packages.join(' ')}\n`);
  process.exit(0);
}
const missing = missingPackages(packages);
if (missing.length === 0) process.exit(0);

if (process.getuid?.() !== 0) {
  fail(`missing Debian packages for "${purpose}": ${missing.join(' ')}\n  install them with: sudo apt-get install -y ${missing.join(' ')}`, 1);
}
process.stderr.write(`ensure-debian-tools: installing for "${purpose}": ${missing.join(' ')}\n`);
run(['apt-get', 'update']);
run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
const still = missingPackages(missing);
if (still.length > 0) fail(`still missing after apt-get install: ${still.join(' ')}`, 1);
