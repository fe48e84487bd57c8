import type { ConsentReport } from '@/lib/messages';
import { describe, measuredControls, watchForBanner, type FoundBanner } from './generic-banner';

/**
 * autoconsent is given this long after the page's load to recognise a known platform before a
 * banner found by its shape is reported: a known platform is driven by its own rule, which knows
 * its layers, and must not be taken for an unknown banner because our scan came first.
 */
const KNOWN_FIRST_MS = 1500;

/**
 * Reports banners found by their shape when no known platform was detected in this frame
 * (`known()`), each banner element once. The time autoconsent is given counts from the page's load
 * or from `detecting` (autoconsent's arrival in the frame), whichever is later.
 */
export function watchGenericBanner(
  known: () => boolean,
  report: (banner: Extract<ConsentReport, { kind: 'generic-banner' }>) => void,
  detecting: Promise<unknown> = Promise.resolve(),
): void {
  let loadedAt: number | undefined;
  const loaded =
    document.readyState === 'complete'
      ? Promise.resolve()
      : new Promise<void>((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
  void Promise.all([loaded, detecting]).then(() => (loadedAt = Date.now()));
  const send = (banner: FoundBanner) => {
    if (known() || !banner.element.isConnected) return;
    report({
      kind: 'generic-banner',
      time: Date.now(),
      url: location.href,
      target: describe(banner.element),
      words: banner.verdict.words,
      controls: measuredControls(banner, 1),
    });
  };
  watchForBanner((banner) => {
    const wait = () => {
      if (loadedAt === undefined) return void setTimeout(wait, 250);
      const left = loadedAt + KNOWN_FIRST_MS - Date.now();
      if (left > 0) setTimeout(() => send(banner), left);
      else send(banner);
    };
    wait();
  });
}
