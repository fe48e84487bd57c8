import { CMP_HINTS } from '@/lib/consent/cmp-hints';
import { decisionOfKind } from '@/lib/consent/control-kind';
import { classifyControl, classifyLabel } from '@/lib/consent/control-words';
import type { ConsentReport } from '@/lib/messages';
import { bannerAround, describe } from './generic-banner';

/**
 * Reports real user clicks (and Enter/Space on a focused control). `isTrusted` is false for any
 * click a page script makes, so a page cannot fake these. A click on a known platform's accept or
 * refuse control is reported with the decision it means; any other click with the kind its
 * control's words say, and whether that control is inside a consent banner (by its shape). The
 * listener is on the document in the capture phase: it measures the banner before the page's own
 * handler hides it.
 */
export function watchGestures(report: (gesture: Extract<ConsentReport, { kind: 'gesture' }>) => void): void {
  const onGesture = (event: Event) => {
    // In an open shadow root the event is retargeted to its host; the path still starts at the control.
    const target = event.composedPath()[0] ?? event.target;
    if (!event.isTrusted || !(target instanceof Element)) return;
    let matched: { platform: string; decision: 'accept' | 'reject'; selector: string } | undefined;
    for (const hint of CMP_HINTS) {
      for (const decision of ['accept', 'reject'] as const) {
        const selector = hint[decision].find((s) => safeClosest(target, s));
        if (selector) matched ??= { platform: hint.name, decision, selector };
      }
    }
    const control = target.closest('button, a, input, [role="button"], [role="link"], label') ?? target;
    const controlKind = kindOf(control);
    const decision = decisionOfKind(controlKind);
    const inBanner = !matched && !!bannerAround(control);
    report({
      kind: 'gesture',
      time: Date.now(),
      url: location.href,
      target: describe(control),
      ...(matched ? { matched } : {}),
      ...(decision ? { control: decision } : {}),
      ...(controlKind ? { controlKind } : {}),
      ...(inBanner ? { inBanner } : {}),
    });
  };
  document.addEventListener('click', onGesture, { capture: true });
  document.addEventListener(
    'keydown',
    (event) => {
      if ((event as KeyboardEvent).key === 'Enter' || (event as KeyboardEvent).key === ' ') onGesture(event);
    },
    { capture: true },
  );
}

/** The kind of the control hit: its visible label first, then its accessible name, then id and classes. */
function kindOf(control: Element) {
  const found = classifyControl({
    text: (control.textContent ?? '').trim().slice(0, 200),
    ariaLabel: control.getAttribute('aria-label') ?? undefined,
    title: control.getAttribute('title') ?? undefined,
    value: control.getAttribute('value') ?? undefined,
    role: control.getAttribute('role') ?? (control instanceof HTMLInputElement ? control.type : undefined),
  });
  if (found) return found.kind;
  const attributes = ['id', 'class'].map((a) => control.getAttribute(a) ?? '').join(' ');
  return classifyLabel(attributes.slice(0, 400), { maxLength: 400 })?.kind;
}

function safeClosest(element: Element, selector: string): boolean {
  try {
    return element.closest(selector) !== null;
  } catch {
    return false;
  }
}
