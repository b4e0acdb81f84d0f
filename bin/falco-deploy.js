#!/usr/bin/env node
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// A run is short and mostly waits on hosts: V8 tiering a function up to TurboFan 8x later than its
// default (67584) spends ~20% less CPU on optimising code that then barely runs; hot code (SSH
// packets at 1000 hosts) still gets optimised (docs/benchmarks.md "The bundled CLI").
setFlagsFromString('--interrupt-budget=540672');

// dist/bundle (scripts/bundle.mjs) starts faster than dist/'s ~400 files. dist/ as tsc wrote it
// runs instead with FALCO_DEPLOY_UNBUNDLED=1 (bench/falco-role's round-trip counter patches its
// classes), or when tsc built dist/ after the bundle was made (a `tsc` without `npm run build`).
const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const unbundled = process.env.FALCO_DEPLOY_UNBUNDLED === '1' || mtime('../dist/bundle/main.js') < mtime('../dist/cli/main.js');
const { main } = await import(unbundled ? '../dist/cli/main.js' : '../dist/bundle/main.js');

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
