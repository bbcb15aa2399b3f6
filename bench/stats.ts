// Small helpers shared by the benchmark: percentiles and number formatting for the table (the
// seeded PRNG is test/support/seededRandom.ts).

import { percentile as sharedPercentile } from '../src/util/percentile';

/** A uniform integer in [min, max]. */
export function uniform(random: () => number, min: number, max: number): number {
  return Math.round(min + random() * (max - min));
}

/** The shared nearest-rank percentile (p in 0..100), NaN when there are no values: the table shows '—'. */
export function percentile(values: readonly number[], p: number): number {
  return values.length === 0 ? NaN : sharedPercentile(values, p);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** A number for the table: fixed decimals, thousands separators, '—' when unknown. */
export function fmt(value: number, decimals = 1): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  return value.toLocaleString('en', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** `ours / naive` as "0.12×"; '—' when the ratio means nothing (unknown or zero baseline). */
export function ratio(ours: number, naive: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(naive) || naive === 0) return '—';
  const r = ours / naive;
  return `${r < 0.01 && r > 0 ? r.toExponential(1) : fmt(r, r < 10 ? 2 : 1)}×`;
}

export const pct = (part: number, whole: number): number => (whole === 0 ? NaN : (100 * part) / whole);
