/** The HTML report's stylesheet: readable on screen, clean on paper ("Save as PDF"). Our constant, never report data. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1a1a1a; --bg: #fff; --muted: #555; --line: #ccc; --card: #f7f7f7;
  --high: #b00020; --medium: #9a5b00; --low: #1f5f99; --info: #555; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #161616; --muted: #aaa; --line: #444; --card: #222;
  --high: #ff6b81; --medium: #ffb347; --low: #7fb8ff; --info: #bbb; } }
body { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 16px 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.3em; border-bottom: 1px solid var(--line); margin-top: 1.6em; }
h3 { font-size: 1.1em; margin: 1em 0 .3em; } h4 { font-size: 1em; margin: .8em 0 .2em; }
.meta { color: var(--muted); font-size: .9em; margin: 2px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: .9em; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; } .wrap { overflow-wrap: anywhere; word-break: break-word; }
table.counts { width: auto; } table.counts td { text-align: center; min-width: 4em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ul.plain { list-style: none; margin: 0; padding: 0; }
.sev { font-weight: 700; text-transform: uppercase; font-size: .8em; padding: 0 4px; border: 1px solid currentColor; border-radius: 3px; }
.sev-high .sev, .sev.sev-high { color: var(--high); } .sev.sev-medium { color: var(--medium); } .sev.sev-low { color: var(--low); } .sev.sev-info { color: var(--info); }
article.finding { background: var(--card); border-left: 5px solid var(--info); padding: 6px 12px; margin: 12px 0; break-inside: avoid-page; }
article.sev-high { border-color: var(--high); } article.sev-medium { border-color: var(--medium); } article.sev-low { border-color: var(--low); }
.review { border: 1px dashed var(--line); padding: 2px 8px; margin: 6px 0; } .review p { margin: 2px 0; } .review.none { color: var(--muted); border: none; padding: 0; }
a { color: inherit; }
code { font-size: .95em; }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #333; --line: #999; --card: #fff; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  a { text-decoration: underline; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .85em; overflow-wrap: anywhere; }
  h2 { break-after: avoid-page; } tr { break-inside: avoid; } thead { display: table-header-group; }
  article.finding { border: 1px solid #999; border-left-width: 5px; }
}
@page { margin: 16mm 14mm; }
`;
