/** Small statistics and result helpers shared by the benchmarks. */
import { performance } from 'node:perf_hooks';

/** One benchmark figure with its budget, as written to bench/results.json. */
export interface BenchFigure {
  id: string;
  label: string;
  value: number;
  unit: string;
  /** The figure must be at most this (every budget here is an upper bound). */
  budget: number;
  withinBudget: boolean;
  /** How it was measured, and the raw numbers behind a ratio. */
  detail?: Record<string, unknown>;
}

/** A suite that could not run here (missing browser or data), with the reason. */
export interface BenchSkip {
  id: string;
  label: string;
  skipped: string;
}

export type BenchResult = BenchFigure | BenchSkip;

export function figure(
  id: string,
  label: string,
  value: number,
  unit: string,
  budget: number,
  detail?: Record<string, unknown>,
): BenchFigure {
  return { id, label, value: round(value), unit, budget, withinBudget: value <= budget, ...(detail ? { detail } : {}) };
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** The q-quantile (0..1) of a sample, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Median wall time of `fn` over `rounds` runs, in ms, after one warm-up run. */
export function timeMedian(fn: () => void, rounds = 5): number {
  fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** A deterministic pseudo-random generator (mulberry32), so corpora are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
