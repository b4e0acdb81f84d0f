/**
 * npm run scenario -- NAME [--keep]     (NAME: default, upgrade, check-diff, offline, rollback, kmod-vm, all)
 * create -> converge -> idempotence -> verify -> destroy; --keep leaves the sandbox up.
 */
import { scenarios } from './index.js';
import { runScenario } from './lib/scenario.js';

async function main(): Promise<number> {
  const [name = 'default', ...rest] = process.argv.slice(2);
  const chosen = name === 'all' ? scenarios : scenarios.filter((s) => s.name === name);
  if (chosen.length === 0) {
    console.error(`unknown scenario ${name}; have: ${scenarios.map((s) => s.name).join(', ')}, all`);
    return 5;
  }
  for (const s of chosen) {
    const t0 = Date.now();
    await runScenario(s, { keep: rest.includes('--keep'), log: (l) => console.log(l) });
    console.log(`[${s.name}] passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
