/** Helpers for benchmarks: a deterministic random source and the one output format. */

export { rng } from '../cli/demo/generate';

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
