/** One line of `npm run bench`: ours next to the naive way, measured in the same run. */
export interface BenchRow {
  name: string;
  ours_ms: number;
  naive_ms: number | null;
  /** naive / ours (how many times faster), or a ratio the goal names */
  ratio: number | null;
  goal: string;
  note: string;
  /** engine comparisons (db-engines.ts): the same measurement on each engine, same run */
  sqlite_ms?: number;
  postgres_ms?: number;
}

export const timeIt = async <T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> => {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
};

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
