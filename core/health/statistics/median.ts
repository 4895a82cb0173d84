/**
 * The median: the middle value, or the mean of the two middle values of an even count; NaN when empty.
 *
 * @example median([250, 412, 260, 240]) // 255
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  // Halving each term first cannot overflow for values near Number.MAX_VALUE.
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]! / 2 + sorted[mid]! / 2;
}
