import type { FactFactory } from './index.js';

export const systemFacts: Record<string, FactFactory> = {};
