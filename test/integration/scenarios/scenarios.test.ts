/**
 * The molecule-like scenarios (molecule-like-fixtures/scenarios): each creates its own sandbox,
 * converges playbooks/site.yml through the CLI, checks idempotence, verifies on the hosts, destroys.
 * Needs root (sandbox hosts). One stand-in repository is built for all of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarios } from '../../../molecule-like-fixtures/scenarios/index.js';
import { runScenario } from '../../../molecule-like-fixtures/scenarios/lib/scenario.js';
import { buildFalcoRepo, mirrorRepo, type FalcoRepo } from '../../../src/sandbox/falco-repo.js';

describe('scenarios (sandbox, root)', function () {
  this.timeout(600_000);
  let work: string;
  let repo: FalcoRepo;

  before(function () {
    if (process.getuid?.() !== 0) this.skip();
    work = mkdtempSync(join(tmpdir(), 'fd-scenarios-'));
    repo = mirrorRepo() ?? buildFalcoRepo(join(work, 'repo'));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // The QEMU scenario has its own test (test/integration/vm).
  for (const s of scenarios.filter((x) => !x.runStandalone)) {
    it(`${s.name}: ${s.description}`, async () => {
      await runScenario(s, { repo, log: (l) => process.env.FD_SCENARIO_LOG && console.log(l) });
    });
  }
});
