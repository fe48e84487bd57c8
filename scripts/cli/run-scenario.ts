/**
 * One consent scenario in its own fresh profile: load the first page, let it settle, make the
 * scenario's consent choice through the extension, visit the extra pages, and take the extension's
 * own report of the tab. Nothing is audited here: the extension does it, as for a person.
 */
import { KEEP_IDENTIFIERS_KEY } from '../../lib/report/identifiers.ts';
import { policyForSite } from '../../lib/policy/load.ts';
import { IMPORT_KEYS } from '../../lib/sources/stored.ts';
import type { ScenarioResult } from '../../lib/report/merge-scenarios.ts';
import type { ConsentActionRecord } from '../../lib/report/types.ts';
import { siteOf } from '../../lib/site.ts';
import { ask, sendJsonMessage, tabIdOf, type EvaluatingPage } from '../browser/extension-client.ts';
import { readVisitor, type VisitorSeen } from '../browser/visitor.ts';
import { openSession, type BrowserSession, type SitePage } from './browser-session.ts';
import { AuditFailure, oneLine } from './errors.ts';
import { pickLinks } from './links.ts';
import { summarizePolicyErrors, type LocalPolicy } from './load-policy.ts';
import { isJourney, type AuditOptions, type ScriptedScenario } from './parse-args.ts';
import { playJourney, type JourneyOutcome } from './journeys.ts';
import { makeConsentChoice } from './consent-choice.ts';
import { settle } from './settle.ts';
import { timed } from './timings.ts';
import type { Limit } from './limit.ts';

export interface ScenarioPlan {
  scenario: ScriptedScenario;
  options: AuditOptions;
  policy: LocalPolicy | undefined;
  /**
   * Extra pages to visit; undefined: discover them on the first page (the first scenario does). A
   * promise (the first scenario's discovery, running alongside) is awaited once the first page has
   * settled, so this scenario's launch and first page do not wait for it.
   */
  extraPages: string[] | Promise<string[]> | undefined;
  executablePath: string;
  extensionPath: string;
  /** The bound on browsers starting at once (shared with the other scenarios); none: no bound. */
  launches?: Limit;
  progress: (message: string) => void;
  /** Called with the links found, as soon as they are (when the plan asked to discover them). */
  onDiscovered?: (links: string[]) => void;
  /** Called with the open session, so an interrupt can close it. */
  onSession?: (session: BrowserSession | undefined) => void;
}

export interface ScenarioOutcome extends ScenarioResult {
  /** Same-site links found on the first page (only when the plan asked to discover them). */
  discovered: string[] | undefined;
  /** Problems that did not stop the scenario (an extra page that failed to load...). */
  warnings: string[];
  thirdPartyCookies: string;
  trackingProtection?: string;
  /** What the site saw of the browser on the first page. */
  visitor?: VisitorSeen;
}

const PAGE_TIMEOUT_MS = 45_000;

/** Runs one scenario; throws {@link AuditFailure} when it cannot produce a meaningful report. */
export async function runScenario(plan: ScenarioPlan): Promise<ScenarioOutcome> {
  const { scenario, options, progress } = plan;
  const startedAt = Date.now();
  progress(`launching ${options.browser} with the extension (fresh profile)`);
  const launch = () =>
    timed(scenario, 'launch', () => openSession(options, plan.executablePath, plan.extensionPath, scenario));
  const session = await (plan.launches ? plan.launches(launch) : launch()).catch((error: unknown) => {
    throw new AuditFailure(`${options.browser} did not start with the extension: ${oneLine(error)}`);
  });
  plan.onSession?.(session);
  try {
    const { control } = session;
    const site = await timed(scenario, 'policy', () =>
      checkPolicy(control, plan.policy, options.url, options.baseline ?? false),
    );
    if (options.keepIdentifiers) await keepIdentifiers(control);
    const page = await session.newPage();
    const pages: string[] = [];
    const warnings: string[] = [];
    const first = await timed(scenario, 'load', () => load(page, options.url)).catch((error: unknown) => {
      throw new AuditFailure(`${options.url} could not be loaded: ${oneLine(error)}`);
    });
    if (first.status !== undefined && first.status >= 400)
      throw new AuditFailure(`${options.url} answered HTTP ${first.status}`);
    if (siteOf(first.url) !== site)
      throw new AuditFailure(`${options.url} redirected to ${first.url}, outside ${site}`);
    const tabId = await tabIdOf(control, first.url);
    pages.push(first.url);
    const visitor = (await page.evaluate(readVisitor, undefined).catch(() => undefined)) as VisitorSeen | undefined;
    const settled = await settle(control, tabId, options.waitMs, scenario);
    const given = await timed(scenario, 'wait for links', () => plan.extraPages);
    const total = 1 + (given?.length ?? options.pages);
    progress(`page 1/${total} ${first.url}: ${settled} observations`);

    let discovered: string[] | undefined;
    if (!given && options.pages > 0) {
      const hrefs = (await page.evaluate(
        () => Array.from(document.querySelectorAll('a[href]'), (a) => (a as HTMLAnchorElement).href),
        undefined,
      )) as string[];
      discovered = pickLinks(hrefs, site, options.pages, [options.url, first.url]);
      plan.onDiscovered?.(discovered);
      progress(
        `found ${discovered.length} same-site link(s) to visit${discovered.length < options.pages ? ` (of ${options.pages} asked)` : ''}`,
      );
    }

    let consentAction: ConsentActionRecord | undefined;
    let journey: JourneyOutcome | undefined;
    if (isJourney(scenario)) {
      journey = await playJourney({
        control,
        page,
        tabId,
        scenario,
        options,
        firstUrl: first.url,
        extraPages: given ?? discovered ?? [],
        progress,
      });
      consentAction = journey.consentAction;
      pages.push(...journey.pages);
      warnings.push(...journey.warnings);
    } else if (scenario !== 'none') {
      consentAction = await timed(scenario, 'choice', () => makeConsentChoice(control, page, tabId, scenario, options));
      progress(
        consentAction.ok
          ? `consent: ${scenario} made (${consentAction.method}${consentAction.platform ? `, ${consentAction.platform}` : ''})`
          : `consent: ${scenario} FAILED: ${consentAction.error}`,
      );
      if (consentAction.ok)
        progress(`after the choice: ${await settle(control, tabId, options.waitMs, scenario)} observations`);
    }

    // A journey's second page is the first extra page: not visited twice.
    const extra = (given ?? discovered ?? []).filter((url) => !journey?.pages.includes(url));
    for (const [i, url] of extra.entries()) {
      const visited = await timed(scenario, 'load', () => load(page, url)).catch((error: unknown) => ({
        error: oneLine(error),
      }));
      if ('error' in visited) {
        warnings.push(`[${scenario}] ${url} could not be loaded: ${visited.error}`);
        progress(`page ${i + 2}/${total} ${url}: FAILED (${visited.error}), skipped`);
        continue;
      }
      if (siteOf(visited.url) !== site) {
        // Leaving the site ends the tab's audit; coming back would start a new one. Stop here.
        warnings.push(
          `[${scenario}] ${url} redirected to ${visited.url}, outside ${site}: later pages were not visited`,
        );
        progress(`page ${i + 2}/${total} ${url}: left the site (${visited.url}), stopping`);
        break;
      }
      // An error page is still a page the visitor gets, with whatever it loads: audited, but flagged.
      if (visited.status !== undefined && visited.status >= 400)
        warnings.push(`[${scenario}] ${url} answered HTTP ${visited.status}`);
      pages.push(visited.url);
      progress(
        `page ${i + 2}/${total} ${visited.url}: ${await settle(control, tabId, options.waitMs, scenario)} observations`,
      );
    }

    const report = await timed(scenario, 'report', () => reportOf(control, tabId, consentAction));
    const counts = report.summary.bySeverity;
    progress(
      `${report.findings.length} finding(s): ${counts.high} high, ${counts.medium} medium, ${counts.low} low, ${counts.info} info`,
    );
    return {
      scenario,
      report,
      startedAt,
      endedAt: Date.now(),
      pages,
      ...(consentAction ? { consentAction } : {}),
      ...(journey ? { journey: journey.steps } : {}),
      discovered,
      warnings,
      thirdPartyCookies: session.thirdPartyCookies,
      ...(visitor ? { visitor } : {}),
      ...(session.trackingProtection ? { trackingProtection: session.trackingProtection } : {}),
    };
  } finally {
    plan.onSession?.(undefined);
    await timed(scenario, 'close', () => session.close());
  }
}

/** `--keep-identifiers`: the extension's stored setting, set before the first page loads. */
async function keepIdentifiers(control: EvaluatingPage): Promise<void> {
  await control.evaluate(async (key: string) => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome; // eslint-disable-line @typescript-eslint/no-explicit-any
    await api.storage.local.set({ [key]: true });
  }, KEEP_IDENTIFIERS_KEY);
}

async function load(page: SitePage, url: string): Promise<{ url: string; status: number | undefined }> {
  return page.goto(url, PAGE_TIMEOUT_MS);
}

/** Imports `--policy` when given, and makes sure some policy covers the URL's site. Returns the site. */
async function checkPolicy(
  control: EvaluatingPage,
  policy: LocalPolicy | undefined,
  url: string,
  baseline: boolean,
): Promise<string> {
  const site = siteOf(url);
  if (policy) {
    const imported = await sendJsonMessage(control, { type: 'import-policy', text: policy.text, source: policy.file });
    if (!imported?.ok) {
      const problems = imported?.refusal.problems ?? [{ path: '/', message: imported?.refusal.message ?? '' }];
      const errors = problems.map((p) => ({ ...p, path: p.path ?? '/' }));
      throw new AuditFailure(
        `the extension refused --policy ${policy.file}: ${imported ? summarizePolicyErrors(errors) : 'no answer'}`,
      );
    }
  }
  let status = await ask(control, { type: 'status' });
  let covering = policyForSite(site, status.policies);
  if (!covering && baseline) {
    // What the popup's "audit this site" does (lib/sources/registry.ts auditWithBaseline): the site
    // joins the stored list of sites audited against the law, which the background follows.
    await control.evaluate(
      async ([key, sites]: [string, string[]]) => {
        const api = (globalThis as any).browser ?? (globalThis as any).chrome; // eslint-disable-line @typescript-eslint/no-explicit-any
        await api.storage.local.set({ [key]: sites });
      },
      [IMPORT_KEYS.baselineSites, [site]],
    );
    const deadline = Date.now() + 10_000;
    while (!covering && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = await ask(control, { type: 'status' });
      covering = policyForSite(site, status.policies);
    }
    if (!covering) throw new AuditFailure(`the extension did not take ${site} for an audit against the baseline`);
  }
  if (!covering) {
    const known = status.policies.flatMap((p) => p.sites).join(', ') || 'none';
    throw new AuditFailure(`no declared policy covers ${site} (built in: ${known}); pass --policy FILE`);
  }
  if (policy && covering.id !== policy.id)
    throw new AuditFailure(`the extension audits ${site} with policy ${covering.id}, not the imported ${policy.id}`);
  return site;
}

/**
 * The extension's report of the tab. After a successful choice, waits (bounded) for the trusted
 * decision to show in it: a choice the audit never saw would leave every event "before consent".
 */
async function reportOf(control: EvaluatingPage, tabId: number, consent: ConsentActionRecord | undefined) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await sendJsonMessage(control, { type: 'get-report', tabId });
    if (!answer?.ok) throw new AuditFailure(`the extension gave no report: ${answer?.refusal.message ?? 'no answer'}`);
    const report = answer.value;
    const decision = report.scenarios[0]?.decision;
    if (!consent?.ok || (decision?.decision === consent.action && decision.trusted)) return report;
    if (Date.now() > deadline) {
      Object.assign(consent, {
        ok: false,
        error: `the extension reported the ${consent.action} choice as made, but no trusted ${consent.action} decision reached the audit`,
      });
      return report;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
