import { CMP_HINTS } from '@/lib/consent/cmp-hints';
import { controlKind } from '@/lib/consent/control-kind';
import type { ConsentReport } from '@/lib/messages';

/** Short description of a clicked element, for evidence: `button#cc-accept.primary "Tout accepter"`. */
function describe(element: Element): string {
  const id = element.id ? `#${element.id}` : '';
  const classes = [...element.classList]
    .slice(0, 3)
    .map((c) => `.${c}`)
    .join('');
  const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return `${element.tagName.toLowerCase()}${id}${classes}${text ? ` "${text}"` : ''}`;
}

/**
 * Reports real user clicks (and Enter/Space on a focused control). `isTrusted` is false for any
 * click a page script makes, so a page cannot fake these. A click on a known platform's accept or
 * refuse control is reported with the decision it means.
 */
export function watchGestures(report: (gesture: Extract<ConsentReport, { kind: 'gesture' }>) => void): void {
  const onGesture = (event: Event) => {
    if (!event.isTrusted || !(event.target instanceof Element)) return;
    const target = event.target;
    let matched: { platform: string; decision: 'accept' | 'reject'; selector: string } | undefined;
    for (const hint of CMP_HINTS) {
      for (const decision of ['accept', 'reject'] as const) {
        const selector = hint[decision].find((s) => safeClosest(target, s));
        if (selector) matched ??= { platform: hint.name, decision, selector };
      }
    }
    const control = kindOf(target);
    report({
      kind: 'gesture',
      time: Date.now(),
      url: location.href,
      target: describe(target),
      ...(matched ? { matched } : {}),
      ...(control ? { control } : {}),
    });
  };
  document.addEventListener('click', onGesture, { capture: true });
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Enter' || event.key === ' ') onGesture(event);
    },
    { capture: true },
  );
}

/** The meaning of the control hit: its visible label first, then its accessible name and attributes. */
function kindOf(target: Element) {
  const control = target.closest('button, a, input, [role="button"], label') ?? target;
  const text = (control.textContent ?? '').trim().slice(0, 200);
  const attributes = ['aria-label', 'title', 'value', 'id', 'class']
    .map((a) => control.getAttribute(a) ?? '')
    .join(' ')
    .slice(0, 400);
  return controlKind(text) ?? controlKind(attributes);
}

function safeClosest(element: Element, selector: string): boolean {
  try {
    return element.closest(selector) !== null;
  } catch {
    return false;
  }
}
