// The one percentile: the settings panel's measurement, the benchmark and the tests all report
// nearest-rank percentiles, so a p95 is always a value that was measured.

/** Nearest-rank percentile (p in 0–100) of a non-empty list: always one of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0-100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
