// The HTML reporter: one self-contained file (styles and SVG inline, no script, no request) with a summary,
// then one section per scenario. Same report in, same bytes out: nothing here reads a clock or a random source,
// and Graphviz lays out the same DOT the same way.

import type { Viz } from '@viz-js/viz';
import { loadGraphviz } from './graphviz.ts';
import { page } from './html-page.ts';
import { scenarioSection } from './html-scenario.ts';
import { html, slug, type Markup } from './markup.ts';
import type { Reporter, RunReport, ScenarioReport } from './types.ts';

/** `s-<slug of the id>`, with `-2`, `-3`... when two ids share a slug: stable for the same list of scenarios. */
export function scenarioAnchors(scenarios: readonly ScenarioReport[]): string[] {
  const used = new Set<string>();
  return scenarios.map((s) => {
    const base = `s-${slug(s.result.scenario)}`;
    let anchor = base;
    for (let n = 2; used.has(anchor); n++) anchor = `${base}-${n}`;
    used.add(anchor);
    return anchor;
  });
}

function summaryHeader(report: RunReport): Markup {
  const s = report.summary;
  const count = (n: number, label: string, cls = ''): Markup => html`<div class="count ${cls}" data-count="${label}"><strong>${n}</strong>${label}</div>`;
  return html`<h1>tracked-flows report</h1>
<div class="summary">${count(s.passed, 'passed', 'passed')}${count(s.failed, 'failed', s.failed > 0 ? 'failed' : '')}${count(s.new, 'new')}${count(s.updated, 'updated')}${count(s.unchanged, 'unchanged')}${count(s.mismatched, 'mismatched')}${count(s.obsolete, 'obsolete')}<div class="count"><strong>${Math.round(report.duration_ms)}</strong>ms</div></div>`;
}

function index(report: RunReport, anchors: readonly string[]): Markup {
  if (report.scenarios.length === 0) return html`<p class="empty">No scenario ran.</p>`;
  return html`<nav class="index"><table class="grid"><thead><tr><th></th><th>scenario</th><th>flow</th><th>snapshot</th><th>hazards</th><th>runs</th><th>artifact versions</th></tr></thead><tbody>${report.scenarios.map((s, i) => {
    const hazards = s.result.diagnostics.filter((d) => d.severity !== 'info' && d.code !== 'TASK_FAILED').length;
    return html`<tr class="${s.passed ? 'passed' : 'failed'}"><td>${s.passed ? '✓' : '✗'}</td><td><a href="#${anchors[i]!}">${s.result.scenario}</a></td><td><span class="badge ${s.result.flow_status}">${s.result.flow_status}</span></td><td>${s.snapshot ? html`<span class="badge snapshot-${s.snapshot.status}">${s.snapshot.status}</span>` : '—'}</td><td class="num">${hazards}</td><td class="num">${s.result.log.runs.length}</td><td class="num">${s.result.log.artifacts.length}</td></tr>`;
  })}</tbody></table></nav>`;
}

function obsolete(report: RunReport): Markup | string {
  if (report.obsolete.length === 0) return '';
  return html`<section class="obsolete"><h2>Obsolete snapshots</h2><p>No scenario writes these any more:</p><ul>${report.obsolete.map((p) => html`<li><code>${p}</code></li>`)}</ul></section>`;
}

/** The report with an already loaded Graphviz: synchronous, for `Reporter.render`. */
export function renderHtmlReportWith(viz: Viz, report: RunReport): string {
  const anchors = scenarioAnchors(report.scenarios);
  const body = html`${index(report, anchors)}
${obsolete(report)}
${report.scenarios.map((s, i) => scenarioSection(viz, s, anchors[i]!))}`;
  const title = `tracked-flows: ${report.summary.passed} passed, ${report.summary.failed} failed`;
  return page({ title, header: summaryHeader(report), body });
}

export async function renderHtmlReport(report: RunReport): Promise<string> {
  return renderHtmlReportWith(await loadGraphviz(), report);
}

export function createHtmlReporter(): Reporter {
  return { render: renderHtmlReport };
}
