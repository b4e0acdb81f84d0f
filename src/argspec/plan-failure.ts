import { ArgumentError } from './validate.js';

/** Runs a planner; an ArgumentError becomes a failed plan (as a module's fail_json) instead of an exception. */
export async function failOnArgError<P extends { commands: unknown[]; changed: boolean; failed?: string }>(fn: () => P | Promise<P>): Promise<P> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ArgumentError) return { commands: [], changed: false, failed: e.message } as unknown as P;
    throw e;
  }
}

/** A module's probes for valid arguments; none for bad ones (its plan() then reports the ArgumentError). */
export async function noProbesOnArgError<R>(fn: () => R[] | Promise<R[]>): Promise<R[]> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ArgumentError) return [];
    throw e;
  }
}
