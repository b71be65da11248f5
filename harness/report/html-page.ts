// The HTML page around a report: inline styles only, and a Content-Security-Policy that forbids every fetch, so
// the file opens offline and cannot be made to phone home by anything a scenario put into it.

import { createHash } from 'node:crypto';
import { html, raw, type Markup } from './markup.ts';

const STYLE = `
:root { color-scheme: light; --red: #d62728; --green: #2f855a; --amber: #b7791f; --muted: #718096; --line: #e2e8f0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #1a202c; background: #f7fafc; }
header.top { background: #1a202c; color: #fff; padding: 16px 24px; }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
main { padding: 16px 24px 48px; max-width: 1400px; }
code, pre { font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.summary { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0 0; }
.count { background: #2d3748; border-radius: 6px; padding: 6px 12px; }
.count strong { font-size: 18px; margin-right: 4px; }
.count.failed strong { color: #feb2b2; } .count.passed strong { color: #9ae6b4; }
table { border-collapse: collapse; background: #fff; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
thead th { background: #edf2f7; }
caption { text-align: left; font-weight: 600; padding: 2px 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td code { white-space: pre-wrap; overflow-wrap: anywhere; }
.diagnostics td:nth-child(2) code { white-space: nowrap; }
.digest { color: var(--muted); }
.muted { color: var(--muted); } .empty { color: var(--muted); font-style: italic; }
section.scenario { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--green); border-radius: 6px; padding: 8px 20px 16px; margin: 20px 0; }
section.scenario.failed { border-left-color: var(--red); }
section.scenario h2 { margin: 8px 0 4px; font-size: 18px; }
section.scenario.passed .mark { color: var(--green); } section.scenario.failed .mark { color: var(--red); }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 12px; background: #edf2f7; }
.badge.failed, .badge.error, .badge.snapshot-mismatch, .badge.snapshot-missing { background: #fed7d7; color: #9b2c2c; }
.badge.ok, .badge.finished, .badge.snapshot-unchanged { background: #c6f6d5; color: #22543d; }
.badge.warning, .badge.snapshot-new, .badge.snapshot-updated, .badge.running { background: #fefcbf; color: #744210; }
.failure { border: 1px solid #feb2b2; background: #fff5f5; border-radius: 6px; padding: 4px 12px; margin: 8px 0; }
pre.diff { background: #fff; border: 1px solid var(--line); padding: 8px; overflow-x: auto; }
pre.diff .add { color: #22543d; background: #f0fff4; } pre.diff .del { color: #9b2c2c; background: #fff5f5; }
pre.diff .hunk { color: var(--muted); } pre.diff .file { font-weight: 600; }
.graphs { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure.graph { margin: 8px 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; max-width: 100%; overflow-x: auto; }
figure.graph figcaption { font-weight: 600; margin-bottom: 4px; }
figure.graph svg { max-width: 100%; height: auto; }
.hazard-count { color: var(--red); }
.legend { font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; width: 18px; height: 0; vertical-align: middle; margin-left: 8px; border-top: 2px solid; }
.swatch.created { border-color: #2b6cb0; } .swatch.used { border-color: #4a5568; }
.swatch.hazard { border-color: var(--red); border-top-width: 3px; } .swatch.pinned { border-color: var(--red); border-top-style: dashed; }
details.run { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px; margin: 6px 0; background: #fcfcfd; }
details.run summary { cursor: pointer; padding: 2px 0; }
.tables { display: flex; flex-wrap: wrap; gap: 16px; }
tr.error td:last-child { color: #9b2c2c; }
.graph-error { color: var(--red); }
table.files { margin: 0; } table.files td { border: none; padding: 0 6px 0 0; }
nav.index table { width: 100%; }
nav.index tr.passed td:first-child { color: var(--green); } nav.index tr.failed td:first-child { color: var(--red); font-weight: 700; }
.live-status { float: right; font-size: 12px; }
`;

export interface PageOptions {
  title: string;
  header: Markup;
  body: Markup;
  /** Inline script (the live view's poller); allowed by its hash in the CSP, nothing else may run. */
  script?: string;
  /** Extra <body> attributes, already escaped. */
  bodyAttrs?: Markup;
}

export function page(options: PageOptions): string {
  const scriptHash = options.script === undefined ? null : createHash('sha256').update(options.script).digest('base64');
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src data:",
    scriptHash ? `script-src 'sha256-${scriptHash}'` : "script-src 'none'",
    // The live view polls its own origin; a file:// report has no origin to reach.
    scriptHash ? "connect-src 'self'" : null,
    "base-uri 'none'",
    "form-action 'none'",
  ].filter(Boolean).join('; ');
  return `<!DOCTYPE html>
${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title}</title>
<style>${raw(STYLE)}</style>
</head>
<body${options.bodyAttrs ?? ''}>
<header class="top">${options.header}</header>
<main>
${options.body}
</main>
${options.script === undefined ? '' : html`<script>${raw(options.script)}</script>`}
</body>
</html>`.value}
`;
}
