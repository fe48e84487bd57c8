/**
 * A bound on how many tasks run at once (browsers, here), shared by whoever holds it: the scenarios
 * of one audit, or of every site of a `--urls` list, so that the total never exceeds it.
 */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** At most `n` of the tasks given to the returned function run at once; the others wait, first come first served. */
export function createLimit(n: number): Limit {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a limit of ${n} tasks at once`);
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
