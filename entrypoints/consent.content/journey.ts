/**
 * The journeys' hands in the page (isolated world): find the consent banner, measure its layers and
 * controls with their computed styles, and click through it by the controls' labels
 * (lib/consent/journey-classify.ts), so no CSS selector is needed. Clicks made here are script clicks
 * (`isTrusted` false): the background records the decision itself, before asking for them.
 */
import { NECESSARY_WORDS, aboutConsent, classifyControl } from '@/lib/consent/journey-classify';
import type {
  BannerMeasure,
  ChoicePath,
  ControlClass,
  ControlMeasure,
  JourneyGoal,
  JourneyResult,
  LayerMeasure,
  ToggleMeasure,
} from '@/lib/journey';

const CONTROLS = 'button, a[href], [role="button"], [role="link"], input[type="button"], input[type="submit"]';
const TOGGLES = 'input[type="checkbox"], [role="switch"], [role="checkbox"]';
const CONTAINERS =
  '[role="dialog"], [role="alertdialog"], [aria-modal="true"], dialog[open], [id*="cookie" i], [class*="cookie" i], [id*="consent" i], [class*="consent" i], [id*="gdpr" i], [class*="gdpr" i], [id*="banner" i], [class*="banner" i]';
/** How long a layer may take to appear after a click. */
const LAYER_WAIT_MS = 2_000;
const MAX_ELEMENTS = 5_000;

const clean = (text: string | null | undefined, max = 80) => (text ?? '').trim().replace(/\s+/g, ' ').slice(0, max);

function visible(el: Element): boolean {
  const rect = el.getBoundingClientRect();
  if (rect.width < 1 || rect.height < 1) return false;
  const check = (el as Element & { checkVisibility?: (o: object) => boolean }).checkVisibility;
  if (check) return check.call(el, { checkOpacity: true, checkVisibilityCSS: true });
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none' && style.opacity !== '0';
}

const labelOf = (el: Element) =>
  clean(
    (el as HTMLElement).innerText ||
      el.getAttribute('aria-label') ||
      (el as HTMLInputElement).value ||
      el.getAttribute('title'),
  );

const kindOf = (el: Element): ControlClass | undefined =>
  classifyControl(labelOf(el), el.getAttribute('role') ?? undefined) ?? undefined;

const controlsOf = (container: Element) => [...container.querySelectorAll(CONTROLS)].filter(visible);

/** Visible containers (by their names, or fixed or sticky) with at least one control. */
function layerCandidates(): Element[] {
  const found = new Set<Element>(document.querySelectorAll(CONTAINERS));
  const all = document.body?.querySelectorAll('*') ?? [];
  for (let i = 0; i < all.length && i < MAX_ELEMENTS; i++) {
    const position = getComputedStyle(all[i]!).position;
    if (position === 'fixed' || position === 'sticky') found.add(all[i]!);
  }
  return [...found].filter((el) => visible(el) && controlsOf(el).length > 0);
}

/** Controls of known meaning (accept, refuse, settings...) in a container. */
const meaningful = (el: Element) => controlsOf(el).filter((c) => kindOf(c)).length;

/**
 * The innermost of nested containers, unless the inner one holds fewer controls of known meaning: a
 * banner's message (Osano's `id="cookieconsent:desc"`, with only its policy link) is not the banner.
 */
const innermost = (els: Element[]) =>
  els.filter((el) => !els.some((other) => other !== el && el.contains(other) && meaningful(other) >= meaningful(el)));

/** Visible containers with consent words and at least one control; the innermost of nested ones. */
function banners(): Element[] {
  return innermost(layerCandidates().filter((el) => aboutConsent((el as HTMLElement).innerText ?? '')));
}

/** The banner most like a first layer: the one with the most controls of known meaning. */
function firstLayer(): Element | undefined {
  return banners().sort((a, b) => meaningful(b) - meaningful(a))[0];
}

function background(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(bg)) return bg;
  }
  return 'rgb(255, 255, 255)';
}

function measureControl(el: Element): ControlMeasure {
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const kind = kindOf(el);
  return {
    text: labelOf(el),
    ...(kind ? { kind } : {}),
    tag: el.tagName.toLowerCase(),
    width: Math.round(rect.width * 10) / 10,
    height: Math.round(rect.height * 10) / 10,
    fontSize: parseFloat(style.fontSize) || 0,
    color: style.color,
    background: background(el),
  };
}

function toggleLabel(el: Element): string {
  const input = el as HTMLInputElement;
  const byFor = input.labels?.[0];
  const labelledBy = el.getAttribute('aria-labelledby');
  return clean(
    byFor?.innerText ||
      el.getAttribute('aria-label') ||
      (labelledBy ? document.getElementById(labelledBy)?.innerText : '') ||
      (el.closest('label') as HTMLElement | null)?.innerText ||
      el.parentElement?.innerText,
  );
}

const isChecked = (el: Element) =>
  el instanceof HTMLInputElement ? el.checked : el.getAttribute('aria-checked') === 'true';

/** Purpose toggles: the switch itself or its label is visible (custom switches hide the input). */
function togglesOf(container: Element): Array<{ el: Element; measure: ToggleMeasure }> {
  return [...container.querySelectorAll(TOGGLES)]
    .filter(
      (el) => visible(el) || ((el as HTMLInputElement).labels?.[0] && visible((el as HTMLInputElement).labels![0]!)),
    )
    .map((el) => {
      const label = toggleLabel(el);
      const checked = isChecked(el);
      const disabled = (el as HTMLInputElement).disabled === true || el.getAttribute('aria-disabled') === 'true';
      return {
        el,
        measure: { label, checked, disabled, necessary: NECESSARY_WORDS.test(label) || (checked && disabled) },
      };
    });
}

const measureLayer = (el: Element): LayerMeasure => ({
  controls: controlsOf(el).map(measureControl),
  toggles: togglesOf(el).map((t) => t.measure),
});

const find = (container: Element, kind: ControlClass) => controlsOf(container).find((c) => kindOf(c) === kind);
const signature = (el: Element) => controlsOf(el).map(labelOf).join('|');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** After a click on a settings control: the layer it opened (another banner, or the same one changed). */
async function nextLayer(previous: Element, before: string): Promise<Element | undefined> {
  const deadline = Date.now() + LAYER_WAIT_MS;
  for (;;) {
    await sleep(100);
    const now = banners();
    const next =
      now.find((b) => b !== previous && !b.contains(previous) && !previous.contains(b)) ??
      now.find((b) => signature(b) !== before && (b === previous || b.contains(previous) || previous.contains(b)));
    if (next) return next;
    if (Date.now() > deadline) return undefined;
  }
}

const click = (el: Element, clicked: string[]) => {
  clicked.push(labelOf(el));
  (el as HTMLElement).click();
};

/** Opens the settings layer of `layer`, if it has a settings control. */
async function openSettings(layer: Element, clicked: string[]): Promise<Element | undefined> {
  const settings = find(layer, 'settings');
  if (!settings) return undefined;
  const before = signature(layer);
  click(settings, clicked);
  return nextLayer(layer, before);
}

async function measure(): Promise<JourneyResult> {
  const first = firstLayer();
  if (!first) return { done: false, detail: 'no visible consent banner on the page' };
  const clicked: string[] = [];
  const layers = [measureLayer(first)];
  const path = (layer: number, el: Element | undefined, steps = layer + 1): ChoicePath | undefined =>
    el ? { steps, layer, control: measureControl(el) } : undefined;
  let accept = path(0, find(first, 'accept'));
  let refuse = path(0, find(first, 'refuse'));
  const second = await openSettings(first, clicked);
  if (second) {
    layers.push(measureLayer(second));
    accept ??= path(1, find(second, 'accept'));
    const save = find(second, 'save');
    const ticked = togglesOf(second).filter((t) => t.measure.checked && !t.measure.necessary).length;
    refuse ??= path(1, find(second, 'refuse')) ?? (save ? path(1, save, 2 + ticked) : undefined);
  }
  const banner: BannerMeasure = { layers, ...(accept ? { accept } : {}), ...(refuse ? { refuse } : {}) };
  return {
    done: true,
    detail: `measured ${layers.length} layer(s): ${layers.map((l) => l.controls.map((c) => `"${c.text}"`).join(', ')).join(' / ')}`,
    clicked,
    steps: clicked.length,
    banner,
  };
}

/** Accepts or refuses on the banner `first`: on its first layer, else in its settings layer. */
async function choose(first: Element, goal: 'accept' | 'refuse', clicked: string[]): Promise<boolean> {
  const direct = find(first, goal);
  if (direct) {
    click(direct, clicked);
    return true;
  }
  // A layer that is already the settings one (purpose toggles and a save control, as a consent
  // library's preferences reopened from the site's footer) is chosen on where it is.
  const second = (await openSettings(first, clicked)) ?? (find(first, 'save') ? first : undefined);
  if (!second) return false;
  const there = find(second, goal);
  if (there) {
    click(there, clicked);
    return true;
  }
  const save = find(second, 'save');
  if (!save) return false;
  for (const t of togglesOf(second)) {
    if (t.measure.necessary || t.measure.disabled) continue;
    if (t.measure.checked === (goal === 'refuse')) {
      clicked.push(t.measure.label || labelOf(t.el));
      (t.el as HTMLElement).click();
    }
  }
  click(save, clicked);
  return true;
}

/** Controls anywhere on the page that withdraw consent, or reopen the consent settings. */
function withdrawControls(): Element[] {
  const all = [...document.querySelectorAll(CONTROLS)].filter(visible);
  const about = (el: Element) =>
    aboutConsent(
      [labelOf(el), el.getAttribute('aria-label'), el.getAttribute('title'), el.id, el.getAttribute('class')].join(' '),
    );
  const stays = (el: Element) =>
    !(el instanceof HTMLAnchorElement) || /^(#|javascript:)|^$/.test(el.getAttribute('href') ?? '');
  const rank = (el: Element) => (kindOf(el) === 'withdraw' ? 0 : 1) + (stays(el) ? 0 : 2);
  return all
    .filter((el) => kindOf(el) === 'withdraw' || (kindOf(el) === 'settings' && about(el)))
    .sort((a, b) => rank(a) - rank(b));
}

async function withdraw(): Promise<JourneyResult> {
  const control = withdrawControls()[0];
  if (!control)
    return {
      done: false,
      detail: `no control labelled to withdraw consent or to manage cookies on ${location.origin}${location.pathname}`,
    };
  const clicked: string[] = [];
  const direct = kindOf(control) === 'withdraw';
  // What the click opens is the consent layer, whatever its words: the control's own label said it
  // is about cookies or consent (Klaro's preferences speak only of "services").
  const before = new Set(layerCandidates());
  const opened = () => firstLayer() ?? innermost(layerCandidates().filter((el) => !before.has(el)))[0];
  click(control, clicked);
  const deadline = Date.now() + LAYER_WAIT_MS;
  let banner: Element | undefined;
  while (!(banner = opened()) && Date.now() < deadline) await sleep(100);
  if (!banner)
    return direct
      ? { done: true, detail: `clicked "${clicked[0]}"`, clicked, steps: clicked.length }
      : { done: false, detail: `"${clicked[0]}" opened no consent banner`, clicked, steps: clicked.length };
  const ok = await choose(banner, 'refuse', clicked);
  return {
    done: ok,
    detail: ok
      ? `withdrew by ${clicked.map((c) => `"${c}"`).join(' then ')}`
      : `"${clicked[0]}" reopened the banner, but it offers no way to refuse`,
    clicked,
    steps: clicked.length,
  };
}

/** Carries out one journey goal on this frame's document. */
export async function runJourney(goal: JourneyGoal): Promise<JourneyResult> {
  switch (goal) {
    case 'detect': {
      const banner = firstLayer();
      return banner
        ? {
            done: true,
            detail: `a visible consent banner with ${controlsOf(banner)
              .map(labelOf)
              .map((t) => `"${t}"`)
              .join(', ')}`,
          }
        : { done: false, detail: 'no visible consent banner on the page' };
    }
    case 'measure':
      return measure();
    case 'accept':
    case 'refuse': {
      const banner = firstLayer();
      if (!banner) return { done: false, detail: 'no visible consent banner on the page' };
      const clicked: string[] = [];
      const ok = await choose(banner, goal, clicked);
      return {
        done: ok,
        detail: ok ? `clicked ${clicked.map((c) => `"${c}"`).join(' then ')}` : `the banner offers no ${goal} control`,
        clicked,
        steps: clicked.length,
      };
    }
    case 'withdraw':
      return withdraw();
  }
}
