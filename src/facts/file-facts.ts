import type { FactFactory } from './index.js';

export const fileFacts: Record<string, FactFactory> = {};
