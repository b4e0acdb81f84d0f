#!/usr/bin/env node
// dist/bundle (scripts/bundle.mjs) starts faster than dist/'s ~400 files; FALCO_DEPLOY_UNBUNDLED=1
// runs dist/ as tsc wrote it (bench/falco-role's round-trip counter patches its classes).
const entry = process.env.FALCO_DEPLOY_UNBUNDLED === '1' ? '../dist/cli/main.js' : '../dist/bundle/main.js';
const { main } = await import(entry);

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
