// `npm run build`, after tsc: bundles dist/cli/main.js and the worker-thread entry into
// dist/bundle/ (ES modules, one chunk per dynamic import), which bin/falco-deploy.js runs.
// Why: Node 20 has no compile cache, and resolving, reading and compiling the ~400 files of dist/
// and the dependencies cost ~0.3 s of CPU on every invocation (docs/benchmarks.md).
// Left outside the bundle, loaded from node_modules as they are:
// - ssh2: its optional native crypto binding is found relative to its own files;
// - yargs: it finds its locales and the caller's package.json from its own location;
// - nunjucks: loaded with require() (src/template/nunjucks-internals.ts), never bundled.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = 'dist/bundle';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/cli/main.js', worker: 'dist/cli/workers/worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ssh2', 'yargs', 'yargs/*', 'nunjucks', 'nunjucks/*'],
  // CommonJS dependencies inside an ES module bundle still call require() for node: builtins.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
