#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// A run is short and mostly waits on hosts: V8 tiering a function up to TurboFan 8x later than its
// default (67584) spends ~20% less CPU on optimising code that then barely runs; hot code (SSH
// packets at 1000 hosts) still gets optimised (docs/benchmarks.md "The bundled CLI").
setFlagsFromString('--interrupt-budget=540672');

// dist/bundle (scripts/bundle.mjs) starts faster than dist/'s ~400 files; FALCO_DEPLOY_UNBUNDLED=1
// runs dist/ as tsc wrote it (bench/falco-role's round-trip counter patches its classes).
const entry = process.env.FALCO_DEPLOY_UNBUNDLED === '1' ? '../dist/cli/main.js' : '../dist/bundle/main.js';
const { main } = await import(entry);

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
