/** `npm run audit -- --help`. Kept beside the parser so the two are changed together. */
import { DEFAULT_WAIT_MS } from './parse-args.ts';

export const USAGE = `Usage: npm run audit -- <url> [options]
       npm run audit -- --urls FILE [--concurrency N] [--out DIR] [--html] [--csv] [options]

Audits <url> with the built Consent Auditor extension loaded in a fresh headless browser profile
(third-party cookies allowed, like a default Chrome), once per consent scenario, and writes one JSON
report (schema lib/schema/audit-report.schema.json) with every scenario.

Options:
  --scenario LIST            scenarios to play, each in its own fresh profile: all, or one or more
                             (comma-separated) of none, accept, reject, revisit-accept,
                             revisit-reject, withdrawal, layers (default none,accept,reject)
                             none: never touch the banner; accept/reject: the extension's
                             automated choice (autoconsent, or the selectors below)
                             revisit-accept/revisit-reject: choose, reload, then visit a second page
                             withdrawal: accept, withdraw the way the site offers, reload, second page
                             layers: measure the banner's layers, controls and pre-ticked purposes
  --out FILE                 report path (default reports/<site>-<timestamp>.json)
  --html FILE                also render the report as one self-contained HTML file (in --lang; see npm run render)
  --csv DIR                  also write DIR/findings.csv and DIR/cookies.csv (headers in --lang)
  --policy FILE              declared-policy JSON to audit against (default: the built-in policy
                             for the URL's site); checked here first, then imported into the extension
  --pages N                  also visit up to N same-site links found on the first page, the same
                             pages in every scenario (default 0)
  --wait MS                  settle time per page after its load event (default ${DEFAULT_WAIT_MS}); then waits
                             until the extension records nothing new for 1 s (at most 10 s more)
  --lang fr|en               language of the HTML and CSV renderings (default fr)
  --baseline                 a site no policy covers is audited against the law's baseline (as the
                             popup's "audit this site"), instead of failing
  --locale TAG               the visitor's language (navigator.languages, Accept-Language; default fr-FR)
  --timezone ZONE            the visitor's IANA time zone (default Europe/Paris)
  --accept-selector CSS      element to click to accept, for banners autoconsent does not know
  --reject-selector CSS      element to click to reject
  --host-rules RULES         Chromium --host-resolver-rules, e.g. "MAP www.example.com 127.0.0.1:8443"
                             (Firefox: applied by a local forward proxy with the same semantics)
  --ignore-https-errors      accept invalid certificates (staging servers, local copies)
  --keep-identifiers         keep identifiers (cid, gclid, cookie values in URLs) in the report; internal use only:
                             by default they are redacted (length and hash), and provenance says which
  --browser chromium|firefox browser to drive (default chromium; firefox: Firefox ESR over WebDriver BiDi)
  --chromium PATH            Chromium binary (default: found in the usual Debian/Ubuntu locations)
  --fail-on high|medium|low  exit 1 when a finding of that severity or above exists
  -h, --help                 this text

A list of sites (--urls FILE): one URL a line, optionally followed by the policy JSON to audit it
against, after spaces or a tab (a tab when the path has spaces; relative to the list's folder);
blank lines and lines starting with # are skipped, as is a " # comment" at the end of a line. A
line without a policy is audited against the extension's policy for its site, else the law's
baseline. Every other option applies to every line (not --policy).
  --urls FILE                the list
  --concurrency N            browsers at a time, all sites' scenarios together (default 2)
  --out DIR                  where the reports and the index go (default reports/list-<timestamp>)
  --html, --csv              also render each report (<n>-<site>.html, <n>-<site>-csv/)
  Writes DIR/<n>-<site>.json per line, DIR/index.json (site, URL, policy, exit status, findings by
  severity, report files, or the error) and DIR/index.html (in --lang). A site that fails is in the
  index with its reason and does not stop the others. Exit status: the worst site's.

Exit status: 0 audit done (no finding at or above --fail-on); 1 findings at or above --fail-on;
2 bad usage or failed audit (unreachable page, invalid policy, consent choice that could not be
made...), with a one-line reason on stderr. When a consent choice fails, the report is still written,
with the failure recorded in its scenario.

Example:
  npm run audit -- https://www.o2toit.com/ --pages 2 --fail-on high --out reports/o2toit.json
`;
