/**
 * The report's one stylesheet, inline: the file must open offline, with nothing fetched. Printed
 * on A4 by a data-protection officer: no dark fills (toner), headers repeated on each page, and a
 * request's block kept on one page when it fits.
 */
export const EVIDENCE_REPORT_STYLE = `
@page { size: A4; margin: 15mm; }
html { color: #1a1a1a; background: #fff; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; max-width: 62rem; margin: 1.5rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; padding-bottom: .15rem; border-bottom: 1px solid #888; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
h4 { font-size: .95rem; margin: .6rem 0 .2rem; }
p { margin: .3rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .6rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border: 1px solid #b5b5b5; padding: .2rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
code, .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .4rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.lead { color: #444; max-width: 48rem; }
.muted { color: #555; }
.status { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 .35rem; font-size: .85em; font-weight: 600; white-space: nowrap; }
.ok { color: #1b5e20; }
.alert { color: #a50021; }
.warn { color: #7a4b00; }
.concerns { font-weight: 600; }
.request { border: 1px solid #999; border-left-width: 5px; border-radius: 3px; padding: .6rem .8rem; margin: .8rem 0; break-inside: avoid; page-break-inside: avoid; }
.request.attention { border-left-color: #a50021; }
.request.due-soon { border-left-color: #b26a00; }
.request .facts { grid-template-columns: 11rem 1fr; }
blockquote.reason { margin: .2rem 0 .3rem 1rem; padding: 0 0 0 .6rem; border-left: 3px solid #999; white-space: pre-wrap; overflow-wrap: anywhere; }
@media print {
  body { font-size: 10pt; line-height: 1.35; max-width: none; margin: 0; padding: 0; }
  h1 { font-size: 16pt; }
  h2 { font-size: 13pt; break-after: avoid; page-break-after: avoid; }
  h3 { font-size: 11pt; }
  th, td { padding: 1.5pt 4pt; }
  th { background: none; }
  a { color: inherit; text-decoration: none; }
  .request { margin: 6pt 0; padding: 5pt 7pt; }
}
`;
