/**
 * The command line's scenarios: at most SCENARIO_CONCURRENCY browsers open at once, of which one
 * starts at a time (the CPU-bound part); the rest of a scenario, mostly waiting for pages to settle,
 * overlaps. And `--timings` (scripts/cli/timings.ts) records phases only when asked.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const build = await mkdtemp(join(tmpdir(), 'consent-auditor-test-build-'));
await writeFile(join(build, 'manifest.json'), '{}');
vi.mock('../../scripts/ensure-browser', () => ({
  ensureChromium: () => '/bin/true',
  ensureFirefox: () => '/bin/true',
}));
vi.mock('../../scripts/ensure-build', () => ({ ensureBuild: () => build }));

const { prepareBrowsers, SCENARIO_CONCURRENCY, LAUNCH_CONCURRENCY } = await import('../../scripts/cli/run-audit');
const { timed, timingsTable, TIMINGS_ENV } = await import('../../scripts/cli/timings');

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('scenario concurrency', () => {
  it('opens several browsers at once but starts them one at a time', async () => {
    expect(LAUNCH_CONCURRENCY).toBe(1);
    expect(SCENARIO_CONCURRENCY).toBeGreaterThan(LAUNCH_CONCURRENCY);
    const browsers = await prepareBrowsers({ browser: 'chromium' });
    let open = 0;
    let starting = 0;
    let maxOpen = 0;
    let maxStarting = 0;
    const scenario = () =>
      browsers.limit(async () => {
        maxOpen = Math.max(maxOpen, ++open);
        await browsers.launches(async () => {
          maxStarting = Math.max(maxStarting, ++starting);
          await tick();
          starting--;
        });
        await tick(); // settling: others start meanwhile
        await tick();
        open--;
      });
    await Promise.all(Array.from({ length: 7 }, scenario));
    await browsers.dispose();
    expect(maxStarting).toBe(1);
    expect(maxOpen).toBe(SCENARIO_CONCURRENCY);
  });

  it('never starts more browsers at once than a list allows open', async () => {
    const browsers = await prepareBrowsers({ browser: 'chromium' }, 1);
    let open = 0;
    let maxOpen = 0;
    await Promise.all(
      Array.from({ length: 3 }, () =>
        browsers.limit(() =>
          browsers.launches(async () => {
            maxOpen = Math.max(maxOpen, ++open);
            await tick();
            open--;
          }),
        ),
      ),
    );
    await browsers.dispose();
    expect(maxOpen).toBe(1);
  });
});

describe('--timings', () => {
  afterEach(() => {
    delete process.env[TIMINGS_ENV];
  });

  it('records nothing unless asked', async () => {
    expect(await timed('quiet-lane', 'settle', () => 42)).toBe(42);
    expect(timingsTable()).not.toContain('quiet-lane');
  });

  it('sums each phase of each lane, failed phases included', async () => {
    process.env[TIMINGS_ENV] = '1';
    await timed('accept', 'settle', tick);
    await timed('accept', 'settle', tick);
    await expect(timed('accept', 'load', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    const line = timingsTable()
      .split('\n')
      .find((l) => l.trim().startsWith('accept'));
    expect(line).toMatch(/settle \d+\.\d\d s \(2×\)/);
    expect(line).toMatch(/load \d+\.\d\d s(,|$)/);
  });
});
