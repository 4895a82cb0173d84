/**
 * Seeded noise around a baseline: each datapoint is the baseline times (1 + sigma × z), z drawn from
 * a standard normal distribution (Box-Muller over mulberry32), never below 0. The same seed gives the
 * same draws, so every degradation of one grid row sees the same noise.
 */

/** mulberry32: a small, fast 32-bit generator, uniform in [0, 1). */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a seed. */
export function normal(seed: number): () => number {
  const next = uniform(seed);
  return () => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
}

/** `count` noise multipliers (1 + sigma × z), each at least 0. */
export function multipliers(seed: number, count: number, sigma: number): number[] {
  const z = normal(seed);
  return Array.from({ length: count }, () => Math.max(0, 1 + sigma * z()));
}
