/**
 * The scale: core writes whole percentages, a Lambda alias takes its additional version's share as a
 * fraction 0.0..1.0 (API reference: AliasRoutingConfiguration). A percent goes out as `percent / 100`
 * (10 -> 0.1, 1 -> 0.01, 99 -> 0.99): one correctly rounded division, so it is the same double as the
 * decimal literal. A fraction comes back as the decimal it was written as: `fraction * 100` is not
 * always exact in binary (0.07 * 100 is 7.000000000000001), so it is rounded to 10 decimal places,
 * which gives back 7 for 0.07 and 7.5 for a person's 0.075; and `toFraction(toPercent(f)) === f` for
 * every fraction written with up to 10 decimal digits, so a rollback writes back exactly what it read.
 */
export function toFraction(percent: number): number {
  return percent / 100;
}

/** The percentage core sees for an additional version's weight. */
export function toPercent(fraction: number): number {
  return Number((fraction * 100).toFixed(10));
}

/** The FunctionVersion's share: what the additional versions leave, as Lambda routes it. */
export function restPercent(additional: readonly number[]): number {
  return Number((100 - additional.reduce((sum, p) => sum + p, 0)).toFixed(10));
}
