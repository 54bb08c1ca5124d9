/** Helpers for benchmarks: a deterministic random source and the one output format. */

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function report(name: string, value: number, unit: string): void {
  console.log(`bench ${name} ${Math.round(value)} ${unit}`);
}

/** Runs `fn` (which processes `n` items) a few times and returns the best items per second. */
export function bestRate(n: number, fn: () => void, runs = 3): number {
  let best = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, n / s);
  }
  return best;
}
