/** One benchmark figure: `{ "<figure id>": { value, unit } }` in test/bench/results.json. */
export interface Figure {
  value: number;
  unit: string;
}
export type Figures = Record<string, Figure>;

/** A bench module's default export. Benchmarks measure; they never fail on a number. */
export type Bench = () => Promise<Figures>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
