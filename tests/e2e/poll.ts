/**
 * Options for every `expect.poll` of the end-to-end suite. Its default (1 s) is too short on a loaded
 * 2-core machine, where a browser page can take seconds to render: a poll states a condition, and
 * this bound is only how long a broken condition takes to fail.
 */
export const POLL = { timeout: 20_000, interval: 100 } as const;
