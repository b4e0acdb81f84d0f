/**
 * bin/falco-deploy.js runs the bundle that `npm run build` makes (dist/bundle), not dist/'s files
 * one by one; FALCO_DEPLOY_UNBUNDLED=1, or a dist/ that tsc wrote after the bundle, runs dist/ as
 * tsc wrote it. The modules a run loads are recorded by a resolve hook preloaded into the CLI process.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const CLI = join(ROOT, 'bin/falco-deploy.js');

function loadedFiles(env: Record<string, string>): { status: number | null; stdout: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bundle-'));
  const log = join(dir, 'loaded.log');
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}\n`);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  writeFileSync(join(dir, 'play.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{{ 6 * 7 }}" }\n');
  const r = spawnSync('node', ['--import', join(dir, 'register.mjs'), CLI, 'run', join(dir, 'play.yml'), '-i', 'localhost,', '-c', 'local', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const files = readFileSync(log, 'utf8').trim().split('\n').map((u) => fileURLToPath(u).slice(ROOT.length + 1));
  return { status: r.status, stdout: r.stdout, files };
}

describe('bin/falco-deploy.js: the bundled build', () => {
  it('runs a play from dist/bundle, loading no file of dist/ outside it', () => {
    const { status, stdout, files } = loadedFiles({});
    expect(status).to.equal(0);
    expect(stdout).to.include('"msg":"42"');
    const fromDist = files.filter((f) => f.startsWith('dist/'));
    expect(fromDist).to.include('dist/bundle/main.js');
    expect(fromDist.filter((f) => !f.startsWith('dist/bundle/'))).to.deep.equal([]);
  });

  it('FALCO_DEPLOY_UNBUNDLED=1 runs the same play from dist/ file by file', () => {
    const { status, stdout, files } = loadedFiles({ FALCO_DEPLOY_UNBUNDLED: '1' });
    expect(status).to.equal(0);
    expect(stdout).to.include('"msg":"42"');
    expect(files).to.include('dist/cli/main.js');
    expect(files.filter((f) => f.startsWith('dist/bundle/'))).to.deep.equal([]);
  });

  it('a dist/ built after the bundle (tsc alone) runs from dist/, not from the stale bundle', () => {
    const main = join(ROOT, 'dist/cli/main.js');
    const { atime, mtime } = statSync(main);
    const bundleTime = statSync(join(ROOT, 'dist/bundle/main.js')).mtime;
    utimesSync(main, atime, new Date(bundleTime.getTime() + 60_000));
    try {
      const { status, files } = loadedFiles({});
      expect(status).to.equal(0);
      expect(files).to.include('dist/cli/main.js');
      expect(files.filter((f) => f.startsWith('dist/bundle/'))).to.deep.equal([]);
    } finally {
      utimesSync(main, atime, mtime);
    }
  });
});
