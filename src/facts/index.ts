import type { FactRequest } from '../engine/module.js';
import { fileFacts } from './file-facts.js';
import { systemFacts } from './system-facts.js';

/** Fact factories by name (used by the table-driven fact tests and by modules). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each fact takes its own argument shape
export type FactFactory = (args: any) => FactRequest;

export const factFactories: Record<string, FactFactory> = { ...fileFacts, ...systemFacts };
