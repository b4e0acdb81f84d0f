/** "Did you mean" helpers for unknown keywords, modules and arguments. */

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

function closeness(word: string, candidate: string): number {
  const w = word.toLowerCase();
  const c = candidate.toLowerCase();
  let d = editDistance(w, c);
  if (c.includes(w) || w.includes(c)) d = Math.min(d, 1);
  return d;
}

function isClose(word: string, candidate: string): boolean {
  return closeness(word, candidate) <= Math.max(1, Math.floor(Math.min(word.length, candidate.length) / 3));
}

/** Longest common subsequence length: breaks ties ('taks' is nearer 'tasks' than 'tags'). */
function commonLength(a: string, b: string): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(up, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

/** Candidates close to `word`, closest first. */
export function closeMatches(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  return candidates
    .filter((c) => isClose(word, c))
    .sort(
      (a, b) =>
        closeness(word, a) - closeness(word, b) ||
        commonLength(w, b.toLowerCase()) - commonLength(w, a.toLowerCase()) ||
        a.localeCompare(b),
    );
}

/** ` (did you mean 'x'?)` or ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = closeMatches(word, candidates)[0];
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/** All candidates, close matches first, the rest alphabetically. */
export function closeFirst(word: string, candidates: readonly string[]): string[] {
  const close = closeMatches(word, candidates);
  const rest = candidates.filter((c) => !close.includes(c)).sort();
  return [...close, ...rest];
}
