import { filterCompactRules } from '@duckduckgo/autoconsent';
import compactRules from '@duckduckgo/autoconsent/rules/compact-rules.json';
import fullRules from '@duckduckgo/autoconsent/rules/rules.json';

/**
 * The full JSON rule of a platform. Compact rules (used for detection, as DuckDuckGo does) keep
 * only what opting out needs; opting in and self-testing need the full steps.
 */
export function fullRule(name: string): unknown {
  return (fullRules as { autoconsent: Array<{ name: string }> }).autoconsent.find((r) => r.name === name);
}

/**
 * autoconsent in detect-only mode: no automatic action, no prehiding, no cosmetic rules, no
 * heuristic clicking. The audited page must look and behave as it would without us.
 */
export function autoconsentInit(url: string, mainFrame: boolean, enabled: boolean): unknown {
  return {
    type: 'initResp',
    config: {
      enabled,
      autoAction: null,
      disabledCmps: [],
      enablePrehide: false,
      enableCosmeticRules: false,
      enableGeneratedRules: true,
      enableHeuristicDetection: false,
      enablePopupMutationObserver: false,
      detectRetries: 20,
      isMainWorld: false,
      prehideTimeout: 2000,
      visualTest: false,
      performanceLoggingEnabled: false,
      heuristicPopupSearchTimeout: 0,
      heuristicMode: 'off',
      logs: {
        lifecycle: false,
        rulesteps: false,
        detectionsteps: false,
        evals: false,
        errors: false,
        messages: false,
        waits: false,
      },
    },
    // Only the rules that can apply to this URL and frame: smaller messages, faster detection.
    rules: { autoconsent: [], compact: filterCompactRules(compactRules as never, { url, mainFrame }) },
  };
}
