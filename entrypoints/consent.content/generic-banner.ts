import { scoreBanner, type BannerCandidate, type BannerVerdict } from '@/lib/consent/banner-shape';
import type { ControlDescription } from '@/lib/consent/control-words';
import type { BannerControl, ControlKind } from '@/lib/observations';

/**
 * Finds a consent banner by its shape, for banners no autoconsent rule knows: the DOM is measured
 * here (computed position, z-index, bounding box, visibility, controls, in open shadow roots too)
 * and judged by the pure scorer (lib/consent/banner-shape.ts). Reading only: nothing on the page
 * changes until the background commands a click.
 */

/** Elements looked at per scan: a banner is rarely deeper, and a huge page must not stall. */
const MAX_ELEMENTS = 6000;
/** Scans after DOM changes before the watch gives up. */
const MAX_SCANS = 60;
const CONTROL_SELECTOR =
  'button, a[href], input[type="button"], input[type="submit"], [role="button"], [role="link"], [role="checkbox"], [role="switch"], input[type="checkbox"]';

export interface FoundBanner {
  element: Element;
  verdict: BannerVerdict;
  controls: Array<{ element: HTMLElement; kind?: ControlKind; text: string }>;
}

/** Short description of an element, for evidence: `div#cc-banner.bar "Nous utilisons…"`. */
export function describe(element: Element): string {
  const id = element.id ? `#${element.id}` : '';
  const classes = [...element.classList]
    .slice(0, 3)
    .map((c) => `.${c}`)
    .join('');
  const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return `${element.tagName.toLowerCase()}${id}${classes}${text ? ` "${text}"` : ''}`;
}

/** Every element of a root and of the open shadow roots inside it, up to `limit`. */
function* elementsOf(root: Document | ShadowRoot | Element, limit = MAX_ELEMENTS): Generator<Element> {
  let seen = 0;
  const stack: Array<Document | ShadowRoot | Element> = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT);
    for (let el = walker.nextNode() as Element | null; el; el = walker.nextNode() as Element | null) {
      if (++seen > limit) return;
      yield el;
      if (el.shadowRoot) stack.push(el.shadowRoot);
    }
  }
}

const visibleBox = (el: Element) => {
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const shown =
    rect.width > 0 &&
    rect.height > 0 &&
    style.visibility !== 'hidden' &&
    style.display !== 'none' &&
    Number(style.opacity || '1') > 0.05 &&
    rect.bottom > 0 &&
    rect.top < innerHeight;
  return { rect, style, shown };
};

/** The implicit ARIA role of a control, when it has no explicit one. */
function roleOf(el: Element): string {
  const explicit = el.getAttribute('role');
  if (explicit) return explicit;
  const tag = el.tagName.toLowerCase();
  if (tag === 'a') return 'link';
  if (tag === 'input') return (el as HTMLInputElement).type === 'checkbox' ? 'checkbox' : 'button';
  return tag === 'button' ? 'button' : '';
}

/** The visible controls of a candidate, with what the scorer needs and what evidence keeps. */
function controlsOf(el: Element): Array<{ element: HTMLElement; description: ControlDescription }> {
  const found: Array<{ element: HTMLElement; description: ControlDescription }> = [];
  for (const c of elementsOf(el, 2000)) {
    if (!(c instanceof HTMLElement) || !c.matches(CONTROL_SELECTOR)) continue;
    if (!visibleBox(c).shown) continue;
    found.push({
      element: c,
      description: {
        text: (c.innerText ?? c.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 200),
        ariaLabel: c.getAttribute('aria-label') ?? undefined,
        title: c.getAttribute('title') ?? undefined,
        value: c instanceof HTMLInputElement && c.type !== 'checkbox' ? c.value : undefined,
        role: roleOf(c),
      },
    });
    if (found.length >= 50) break;
  }
  return found;
}

/** Measures one element as a candidate, or says it cannot be one (not a dialog, not a fixed layer). */
function measure(el: Element): { candidate: BannerCandidate; controls: ReturnType<typeof controlsOf> } | undefined {
  const role = el.getAttribute('role') ?? undefined;
  const ariaModal = el.getAttribute('aria-modal') === 'true';
  const openDialog = el instanceof HTMLDialogElement && el.open;
  const position = getComputedStyle(el).position;
  const layer = position === 'fixed' || position === 'sticky';
  if (!layer && !ariaModal && !openDialog && role !== 'dialog' && role !== 'alertdialog') return undefined;
  const { rect, style, shown } = visibleBox(el);
  if (!shown) return undefined;
  const controls = controlsOf(el);
  const z = Number.parseInt(style.zIndex, 10);
  return {
    candidate: {
      text: ((el as HTMLElement).innerText ?? el.textContent ?? '').slice(0, 5000),
      ...(role ? { role } : {}),
      ariaModal,
      openDialog,
      position: style.position,
      ...(Number.isFinite(z) ? { zIndex: z } : {}),
      width: rect.width,
      height: rect.height,
      visible: shown,
      viewport: { width: innerWidth, height: innerHeight },
      controls: controls.map((c) => c.description),
    },
    controls,
  };
}

/** The best-scoring banner on the page (and in its open shadow roots), if any. */
export function findBanner(root: Document | ShadowRoot | Element = document): FoundBanner | undefined {
  let best: FoundBanner | undefined;
  for (const el of elementsOf(root)) {
    const measured = measure(el);
    if (!measured) continue;
    const verdict = scoreBanner(measured.candidate);
    if (!verdict.isBanner) continue;
    // Ties go to the later (inner) element: the dialog rather than its full-screen backdrop.
    if (best && verdict.score < best.verdict.score) continue;
    best = {
      element: el,
      verdict,
      controls: measured.controls.map((c, i) => ({
        element: c.element,
        text: c.description.text || c.description.ariaLabel || c.description.title || '',
        ...(verdict.controls[i]?.class ? { kind: verdict.controls[i]!.class!.kind } : {}),
      })),
    };
  }
  return best;
}

/** The consent banner an element is inside (crossing open shadow boundaries), if any. */
export function bannerAround(target: Element): Element | undefined {
  for (let el: Element | null = target, depth = 0; el && depth < 40; depth++) {
    const measured = measure(el);
    if (measured && scoreBanner(measured.candidate).isBanner) return el;
    el = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
  }
  return undefined;
}

/** A banner's controls as evidence: kind, text, size and computed colours. */
export function measuredControls(banner: FoundBanner, layer: number): BannerControl[] {
  return banner.controls
    .filter((c) => c.kind || c.text)
    .slice(0, 30)
    .map((c) => {
      const rect = c.element.getBoundingClientRect();
      const style = getComputedStyle(c.element);
      return {
        ...(c.kind ? { kind: c.kind } : {}),
        text: c.text.slice(0, 80),
        width: Math.round(rect.width),
        height: Math.round(rect.height),
        color: style.color,
        background: style.backgroundColor,
        fontSize: style.fontSize,
        layer,
      };
    });
}

/**
 * Watches for a banner: once the page has loaded, and on DOM changes (throttled), so a banner
 * inserted late is seen.
 * Each banner element is reported once. Returns a stop function.
 */
export function watchForBanner(onBanner: (banner: FoundBanner) => void): () => void {
  const reported = new WeakSet<Element>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let scans = 0;
  const scan = () => {
    timer = undefined;
    if (!document.documentElement) return;
    // A page that keeps changing (animations, tickers) would be measured for ever: a late banner
    // comes within the first minute or so of changes.
    if (++scans > MAX_SCANS) return stop();
    const banner = findBanner();
    if (banner && !reported.has(banner.element)) {
      reported.add(banner.element);
      onBanner(banner);
    }
  };
  const schedule = () => {
    timer ??= setTimeout(scan, 300);
  };
  const observer = new MutationObserver(schedule);
  const begin = () => {
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['style', 'class', 'hidden', 'open', 'aria-hidden'],
    });
    schedule();
  };
  // From the load event: a scan measures every element (styles, boxes), which must not sit on the
  // page's load path, and a banner by shape is reported only after the load anyway (generic-report.ts).
  if (document.readyState !== 'complete') window.addEventListener('load', begin, { once: true });
  else begin();
  const stop = () => {
    observer.disconnect();
    if (timer) clearTimeout(timer);
  };
  return stop;
}

/** Waits (bounded) for `test` to give a value, re-trying on each DOM change. */
function waitFor<T>(test: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const now = test();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const found = test();
      if (found === undefined) return;
      done(found);
    });
    const timer = setTimeout(() => done(test()), timeoutMs);
    const done = (value: T | undefined) => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(value);
    };
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
  });
}

const controlOfKind = (kind: ControlKind) => findBanner()?.controls.find((c) => c.kind === kind);

/**
 * Clicks the banner's control of this kind, found by its words. When the first layer has none, and
 * it has a settings control, that is clicked first and the kind is looked for in what it opens
 * (two steps). The click is the page's `click()`: not isTrusted, and the background has already
 * recorded the extension's own decision before it.
 */
export async function clickKind(
  kind: 'accept' | 'refuse',
): Promise<{ ok: boolean; detail: string; control?: string; steps?: number }> {
  const banner = findBanner();
  if (!banner) return { ok: false, detail: 'no consent banner on the page' };
  const first = banner.controls.find((c) => c.kind === kind);
  if (first) {
    first.element.click();
    return { ok: true, detail: `clicked "${first.text}"`, control: first.text, steps: 1 };
  }
  const settings = banner.controls.find((c) => c.kind === 'settings');
  if (!settings) return { ok: false, detail: `the banner has no ${kind} control and no settings control` };
  settings.element.click();
  const second = await waitFor(() => controlOfKind(kind), 3000);
  if (!second)
    return { ok: false, detail: `no ${kind} control on the first layer, nor after "${settings.text}"`, steps: 1 };
  second.element.click();
  return {
    ok: true,
    detail: `clicked "${settings.text}", then "${second.text}"`,
    control: second.text,
    steps: 2,
  };
}
