/**
 * The one readiness gate of the background's listeners. Listeners are registered synchronously
 * (MV3 drops events whose listener is added late), but the state they need (the persisted audit
 * index, the imports) loads asynchronously: an event is held until `ready`, so events that wake a
 * stopped worker are recorded, not lost. Once ready, an event the collector can tell is irrelevant
 * is dropped synchronously, with no promise: browsing outside audits must cost nothing measurable.
 * Events keep their order: one is judged only once the work of those before it has run.
 */
export interface Readiness {
  /** Resolves once the state is loaded (also after a failed start, which is logged, not fatal). */
  ready: Promise<unknown>;
  isReady(): boolean;
  /** Runs `work` once ready; when already ready and `ignorable()` says so, does nothing at all. */
  gate(ignorable: () => boolean, work: () => void): void;
}

export function createReadiness(loading: Promise<unknown>, onError?: (error: unknown) => void): Readiness {
  let isReady = false;
  const ready = loading.then(
    () => {
      isReady = true;
    },
    (error: unknown) => onError?.(error),
  );
  // Work queued and not yet run. While there is some, no event is judged ignorable: what makes it
  // relevant may be that work (a navigation that starts an audit), and Firefox can run the next
  // listener before it, when both events are handled in one task.
  let pending = 0;
  const run = (work: () => void) => () => {
    pending--;
    work();
  };
  return {
    ready,
    isReady: () => isReady,
    gate(ignorable, work) {
      if (isReady && pending === 0 && ignorable()) return;
      pending++;
      void ready.then(run(work));
    },
  };
}
