/**
 * bench/template: controller cost of templating small task arguments once compiled.
 *   npx tsx bench/template.ts [--calls 20000]
 * Prints microseconds per templateData() call. Figures only: nothing here passes or fails on time.
 */
import { createTemplater } from '../src/template/index.js';

const args = process.argv.slice(2);
const calls = Number(args[args.indexOf('--calls') + 1] || 20000);
const templater = createTemplater({ searchPaths: [process.cwd()] });
const vars = { falco_version: '0.44.1', pkgs: ['falco', 'dkms'] };
const taskArgs = { name: '{{ pkgs }}', state: 'present', version: 'v{{ falco_version }}' };

for (let i = 0; i < 2000; i++) templater.templateData(taskArgs, vars); // JIT warm-up
for (let round = 1; round <= 3; round++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) templater.templateData(taskArgs, vars);
  const us = Number(process.hrtime.bigint() - start) / 1e3 / calls;
  console.log(`round ${round}: ${us.toFixed(2)} µs per templateData() of 3 small args (${calls} calls)`);
}
