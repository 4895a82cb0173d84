import { seededRandom } from '../seeded-random.ts';

/**
 * Seeded noise around a baseline: each datapoint is the baseline times (1 + sigma × z), z drawn from
 * a standard normal distribution (Box-Muller over mulberry32), never below 0. The same seed gives the
 * same draws, so every degradation of one grid row sees the same noise.
 */

/** Standard normal draws from a seed. */
export function normal(seed: number): () => number {
  const next = seededRandom(seed);
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
