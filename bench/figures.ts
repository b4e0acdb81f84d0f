/** Shared by the bench scripts: the median they print, and their one way to end on an error. */

/** The lower median (NaN for no figures). */
export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

export function runBench(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  });
}
