/** The request collector started on fake events and a fake sink, ready, for the fixture's one policy site. */
import { CookieAttribution } from '../../entrypoints/background/cookie-attribution';
import { createReadiness } from '../../entrypoints/background/readiness';
import { requestCollector } from '../../entrypoints/background/request-collector';
import { FakeSink, installFakeEvents, o2toitPolicyFor, rawRequests } from './collectors-fakes';

export function requestCollectorRig(t0: number) {
  const events = installFakeEvents();
  const sink = new FakeSink();
  const readiness = createReadiness(Promise.resolve());
  requestCollector({ sink, policyFor: o2toitPolicyFor, attribution: new CookieAttribution(), readiness }).start();
  return { events, sink, readiness, request: rawRequests(t0) };
}
