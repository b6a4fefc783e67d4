// The status page's one stylesheet, and the Content-Security-Policy that lets it alone apply: no
// script, no image, font or stylesheet from anywhere, forms only to the page itself (its filters).
import { createHash } from 'node:crypto';

export const CSS = `
:root { color-scheme: light; --good: #1a7f37; --bad: #cf222e; --stale: #9a6700; --busy: #0969da; --idle: #6e7781; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1f2328; background: #fff; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 24px; padding: 10px 24px; border-bottom: 1px solid var(--line); background: var(--soft); }
header h1 { margin: 0; font-size: 20px; }
header h1 a { color: inherit; text-decoration: none; }
nav a { margin-right: 14px; }
nav span { color: var(--idle); font-size: 13px; }
main { padding: 10px 24px; }
h2 { margin: 14px 0 6px; font-size: 17px; overflow-wrap: anywhere; }
.overview { margin: 0 0 6px; font-size: 17px; font-weight: 600; }
.overview .up { color: var(--good); } .overview .down { color: var(--bad); } .overview .stale { color: var(--stale); } .overview .pending { color: var(--idle); }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 8px; padding: 0; list-style: none; }
.tiles a, .tiles span { display: block; min-width: 7.5em; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; color: inherit; text-decoration: none; font-size: 13px; }
.tiles a:hover { border-color: var(--busy); }
.tiles strong { display: block; font-size: 20px; }
.tiles .down strong, .tiles .failing strong { color: var(--bad); } .tiles .stale strong { color: var(--stale); } .tiles .up strong { color: var(--good); } .tiles .pending strong { color: var(--idle); }
.notice { margin: 6px 0; padding: 4px 10px; border-left: 4px solid var(--stale); background: #fff8c5; }
form.filters { display: flex; flex-wrap: wrap; align-items: end; gap: 6px 14px; margin: 6px 0; font-size: 14px; }
form.filters label { display: flex; flex-direction: column; color: var(--idle); }
form.filters input[type=search] { width: 18em; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th { padding: 3px 6px; border-bottom: 2px solid var(--line); text-align: left; white-space: nowrap; }
td { padding: 3px 6px; border-top: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td small { display: block; color: var(--idle); }
td.n { text-align: right; white-space: nowrap; }
tr.down td:first-child { border-left: 4px solid var(--bad); } tr.stale td:first-child { border-left: 4px solid var(--stale); }
tr.pending td:first-child { border-left: 4px solid var(--idle); } tr.up td:first-child { border-left: 4px solid var(--good); }
table.accounts td:nth-child(2) { min-width: 17em; } table.accounts td:nth-child(4) { min-width: 8.5em; } table.accounts td:last-child { min-width: 20em; max-width: 34em; }
caption { padding: 2px 0; text-align: left; font-weight: 600; }
.badge { display: inline-block; min-width: 4.6em; white-space: nowrap; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px; text-align: center; }
.badge.up { background: var(--good); } .badge.down { background: var(--bad); } .badge.stale { background: var(--stale); } .badge.pending { background: var(--idle); }
.stale-mark { color: var(--stale); font-weight: 600; }
.error { color: var(--bad); }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); padding: 0 3px; border-radius: 3px; }
.pages { margin: 8px 0; font-size: 14px; }
.pages a, .pages strong { margin-right: 8px; }
dl { display: grid; grid-template-columns: 9.5em 1fr; gap: 3px 12px; margin: 0 0 10px; }
dt { color: var(--idle); } dd { margin: 0; overflow-wrap: anywhere; }
progress, meter { width: 120px; height: 10px; vertical-align: -1px; }
.scans { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 4px 24px; align-items: start; }
.scans table { margin: 6px 0 10px; }
.scans td.label { width: 45%; }
td.good { color: var(--good); } td.bad { color: var(--bad); font-weight: 600; } td.busy { color: var(--busy); } td.idle { color: var(--idle); }
.failing h3, .attention h3 { margin: 4px 0; font-size: 14px; color: var(--bad); }
.failing ul, .attention ul { margin: 0; padding-left: 20px; font-size: 14px; }
.not-current { border-left: 4px solid var(--stale); padding-left: 10px; }
.links a { margin-right: 12px; }
.skipped h3 { margin: 6px 0 2px; font-size: 14px; }
.skipped p { margin: 0 0 2px; font-size: 14px; }
.skipped ul { margin: 0 0 6px; padding-left: 20px; font-size: 14px; }
footer { padding: 4px 24px 16px; color: var(--idle); font-size: 13px; }
`;

/** The Content-Security-Policy of the page: its own stylesheet and nothing else, no script at all; its filter form submits to itself. */
export const STATUS_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
