import { checkDiffScenario } from './check-diff.js';
import { defaultScenario } from './default.js';
import { kmodVmScenario } from './kmod-vm.js';
import type { Scenario } from './lib/scenario.js';
import { offlineScenario } from './offline.js';
import { rollbackScenario } from './rollback.js';
import { upgradeScenario } from './upgrade.js';

export const scenarios: Scenario[] = [defaultScenario, upgradeScenario, checkDiffScenario, offlineScenario, rollbackScenario, kmodVmScenario];
