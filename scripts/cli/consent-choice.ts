/**
 * The accept and reject scenarios' choice, made by the extension itself (`consent-action`:
 * autoconsent for known banners, or the auditor's selector), so the decision is recorded as a
 * trusted consent observation exactly as when a person uses the extension.
 */
import type { ConsentActionRecord } from '../../lib/report/types.ts';
import { ask, sendJsonMessage, type EvaluatingPage } from '../browser/extension-client.ts';
import { AuditFailure, oneLine } from './errors.ts';
import type { AuditOptions } from './parse-args.ts';

/** Autoconsent may wait for a banner that shows late; past this, the choice counts as failed. */
const CHOICE_TIMEOUT_MS = 60_000;
/** Consent platforms often load after the page settles: how long to wait for one to show. */
const BANNER_WAIT_MS = 5_000;

/**
 * Waits (bounded) until the extension has seen a banner shown in the tab, so a late banner is not
 * reported missing. Returns false when none showed; the extension then says why it cannot choose.
 */
async function waitForBanner(control: EvaluatingPage, tabId: number): Promise<boolean> {
  const deadline = Date.now() + BANNER_WAIT_MS;
  for (;;) {
    const observations = await ask(control, { type: 'get-observations', tabId }).catch(() => []);
    if (observations.some((o) => o.kind === 'consent' && o.event === 'banner-shown')) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Asks the extension to accept or reject in the tab. A bad selector is bad usage (throws
 * {@link AuditFailure}); a choice the extension could not make is returned with `ok: false`, for
 * the report and the exit status.
 */
export async function makeConsentChoice(
  control: EvaluatingPage,
  page: EvaluatingPage,
  tabId: number,
  action: 'accept' | 'reject',
  options: Pick<AuditOptions, 'acceptSelector' | 'rejectSelector'>,
): Promise<ConsentActionRecord> {
  const selector = action === 'accept' ? options.acceptSelector : options.rejectSelector;
  if (selector) {
    // Checked by the page's own CSS parser: Node has none, and the extension would only say "not found".
    const invalid = (await page.evaluate((sel: string) => {
      try {
        document.querySelector(sel);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    }, selector)) as string | null;
    if (invalid) throw new AuditFailure(`--${action}-selector "${selector}" is not a valid CSS selector`);
  }
  if (!selector) await waitForBanner(control, tabId);
  const message = {
    type: 'consent-action' as const,
    tabId,
    action,
    ...(selector ? { selectors: { [action]: selector } } : {}),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from the extension within ${CHOICE_TIMEOUT_MS / 1000} s`)),
      CHOICE_TIMEOUT_MS,
    );
  });
  let response: Awaited<ReturnType<typeof sendJsonMessage<typeof message>>>;
  try {
    response = await Promise.race([sendJsonMessage(control, message), timeout]);
  } catch (error) {
    return { action, ok: false, ...(selector ? { selector } : {}), error: oneLine(error) };
  } finally {
    clearTimeout(timer);
  }
  if (!response || typeof response !== 'object')
    return { action, ok: false, ...(selector ? { selector } : {}), error: 'no answer from the extension' };
  if (!response.ok)
    return { action, ok: false, ...(selector ? { selector } : {}), error: oneLine(response.refusal.message) };
  const done = response.value;
  return {
    action,
    ok: true,
    method: done.method,
    ...(done.platform ? { platform: done.platform } : {}),
    ...(selector ? { selector } : {}),
  };
}
