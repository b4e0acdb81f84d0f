import type { FactFactory } from './request.js';
import { fileFacts } from './file-facts.js';
import { systemFacts } from './system-facts.js';

;

/** Fact factories by name (used by the table-driven fact tests and by modules). */
export const factFactories: Record<string, FactFactory> = { ...fileFacts, ...systemFacts };
