/**
 * The journeys the regulators check, as scripted scenarios (after the first page has settled):
 * - `revisit-accept` / `revisit-reject`: choose, reload, then visit a second page of the site: the
 *   banner must stay away and a refusal must still hold;
 * - `withdrawal`: accept, withdraw the way the site offers, reload, then a second page: trackers
 *   must stop and their cookies go;
 * - `layers`: measure the banner's layers, controls and pre-ticked purposes before any choice.
 * Each step is asked of the extension (`journey`, or `consent-action` with the auditor's selector),
 * which records what it establishes; the rules judge the tab's report.
 */
import type { ConsentActionRecord, JourneyStepRecord } from '../../lib/report/types.ts';
import type { JourneyGoal } from '../../lib/journey.ts';
import { siteOf } from '../../lib/site.ts';
import { sendJsonMessage, type EvaluatingPage } from '../browser/extension-client.ts';
import type { SitePage } from './browser-session.ts';
import { makeConsentChoice } from './consent-choice.ts';
import { oneLine } from './errors.ts';
import { pickLinks } from './links.ts';
import type { AuditOptions, JourneyScenario } from './parse-args.ts';
import { settle } from './settle.ts';
import { timed } from './timings.ts';

const PAGE_TIMEOUT_MS = 45_000;

export interface JourneyPlan {
  control: EvaluatingPage;
  page: SitePage;
  tabId: number;
  scenario: JourneyScenario;
  options: AuditOptions;
  /** The first page, as loaded. */
  firstUrl: string;
  /** The audit's extra pages; the first is the revisit's second page, else one link is picked here. */
  extraPages: readonly string[];
  progress: (line: string) => void;
}

export interface JourneyOutcome {
  steps: JourneyStepRecord[];
  consentAction?: ConsentActionRecord;
  /** Pages loaded by the journey, final URLs, in order. */
  pages: string[];
  warnings: string[];
}

/** Plays one journey; never throws for what the site does (that is evidence), only for a broken browser. */
export async function playJourney(plan: JourneyPlan): Promise<JourneyOutcome> {
  const { control, page, tabId, scenario, options, progress } = plan;
  const out: JourneyOutcome = { steps: [], pages: [], warnings: [] };
  const wait = async () => settle(control, tabId, options.waitMs, scenario);

  const step = async (goal: JourneyGoal): Promise<boolean> => {
    const answer = await timed(scenario, `journey ${goal}`, () =>
      sendJsonMessage(control, { type: 'journey', tabId, goal }),
    );
    const result = answer?.ok
      ? answer.value
      : { done: false, detail: answer ? answer.refusal.message : 'no answer from the extension' };
    out.steps.push({
      goal,
      done: result.done,
      detail: result.detail,
      ...(result.steps !== undefined ? { steps: result.steps } : {}),
      ...(result.clicked?.length ? { clicked: result.clicked } : {}),
    });
    progress(`journey: ${goal} ${result.done ? 'done' : 'not done'}: ${result.detail}`);
    return result.done;
  };

  /** Accepts or refuses: with the auditor's selector when given, else by the banner's labels. */
  const choose = async (action: 'accept' | 'reject'): Promise<boolean> => {
    const selector = action === 'accept' ? options.acceptSelector : options.rejectSelector;
    let record: ConsentActionRecord;
    if (selector) {
      record = await timed(scenario, 'choice', () => makeConsentChoice(control, page, tabId, action, options));
      out.steps.push({
        goal: action === 'accept' ? 'accept' : 'refuse',
        done: record.ok,
        detail: record.error ?? `clicked ${selector}`,
      });
    } else {
      const done = await step(action === 'accept' ? 'accept' : 'refuse');
      const last = out.steps.at(-1)!;
      const autoconsent = last.detail.startsWith("autoconsent's"); // journey-service.ts words it so
      record = {
        action,
        ok: done,
        ...(done ? { method: autoconsent ? ('autoconsent' as const) : ('banner-text' as const) } : {}),
        ...(done ? {} : { error: last.detail }),
      };
    }
    out.consentAction ??= record;
    progress(`consent: ${action} ${record.ok ? 'made' : `FAILED: ${record.error}`}`);
    if (record.ok) await wait();
    return record.ok;
  };

  const visit = async (url: string, what: string): Promise<boolean> => {
    const loaded = await timed(scenario, 'load', () => page.goto(url, PAGE_TIMEOUT_MS)).catch((error: unknown) => ({
      error: oneLine(error),
    }));
    if ('error' in loaded) {
      out.warnings.push(`[${scenario}] ${what} ${url} could not be loaded: ${loaded.error}`);
      out.steps.push({ goal: what === 'reload' ? 'reload' : 'visit', done: false, detail: loaded.error });
      return false;
    }
    out.pages.push(loaded.url);
    out.steps.push({ goal: what === 'reload' ? 'reload' : 'visit', done: true, detail: loaded.url });
    progress(`journey: ${what} ${loaded.url}: ${await wait()} observations`);
    // Whether the banner came back: the extension records it when it sees one (consent-not-remembered).
    await step('detect');
    return true;
  };

  const revisit = async () => {
    await visit(plan.firstUrl, 'reload');
    const second = plan.extraPages[0] ?? (await oneLink(page, plan.firstUrl));
    if (second) await visit(second, 'visit');
    else out.warnings.push(`[${scenario}] no same-site link on ${plan.firstUrl}: the revisit reloaded it only`);
  };

  switch (scenario) {
    case 'layers':
      await step('measure');
      await wait();
      break;
    case 'revisit-accept':
    case 'revisit-reject':
      if (await choose(scenario === 'revisit-accept' ? 'accept' : 'reject')) await revisit();
      break;
    case 'withdrawal':
      if (await choose('accept')) {
        await step('withdraw');
        await wait();
        await revisit();
      }
      break;
  }
  return out;
}

/** One same-site link of the page, for the revisit's second page. */
async function oneLink(page: SitePage, firstUrl: string): Promise<string | undefined> {
  const hrefs = (await page.evaluate(
    () => Array.from(document.querySelectorAll('a[href]'), (a) => (a as HTMLAnchorElement).href),
    undefined,
  )) as string[];
  return pickLinks(hrefs, siteOf(firstUrl), 1, [firstUrl])[0];
}
