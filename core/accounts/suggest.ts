/**
 * "Did you mean 6119 or 6112?": the closest valid codes of a segment to a wrong one.
 *
 * Ranked by edit distance (Damerau–Levenshtein: a swapped pair of digits counts as one edit), then
 * by the length of the shared beginning (codes are hierarchical: 6118 is nearer 6119 than 7118),
 * then by numeric closeness, then alphabetically, so the order is stable.
 */

let rowA = new Int32Array(16);
let rowB = new Int32Array(16);
let rowC = new Int32Array(16);

/** Damerau–Levenshtein (optimal string alignment) distance, with three reused rows: no allocation per call. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  if (rowA.length <= n) {
    rowA = new Int32Array(n + 1);
    rowB = new Int32Array(n + 1);
    rowC = new Int32Array(n + 1);
  }
  let prev2 = rowA; // row i-2
  let prev = rowB; // row i-1
  let cur = rowC; // row i
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
    }
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n] as number;
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Up to `max` candidates closest to `code`: all those at the best distance, and those one edit
 * further only while fewer than two were found. Nothing further than half the code's length.
 */
export function closest(code: string, candidates: readonly string[], max = 3): string[] {
  if (!code || candidates.length === 0) return [];
  const limit = Math.max(1, Math.floor(Math.max(code.length, 2) / 2));
  const upper = code.toUpperCase();
  const num = /^\d+$/.test(code) ? Number(code) : NaN;
  const scored: { c: string; d: number; p: number; gap: number }[] = [];
  for (const c of candidates) {
    if (c === code || Math.abs(c.length - code.length) > limit) continue;
    const d = editDistance(upper, c.toUpperCase());
    if (d > limit) continue;
    const gap = Number.isNaN(num) || !/^\d+$/.test(c) ? Infinity : Math.abs(Number(c) - num);
    scored.push({ c, d, p: sharedPrefix(upper, c.toUpperCase()), gap });
  }
  scored.sort((x, y) => x.d - y.d || y.p - x.p || x.gap - y.gap || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  const best = scored[0]?.d;
  if (best === undefined) return [];
  const out: string[] = [];
  for (const s of scored) {
    if (out.length >= max) break;
    if (s.d === best || (s.d === best + 1 && out.length < 2)) out.push(s.c);
  }
  return out;
}
