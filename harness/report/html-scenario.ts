// One scenario's section of the HTML report: status, the snapshot diff when it failed, the flow and lineage
// graphs (laid out by Graphviz), diagnostics, tasks and the log's tables.

import type { Viz } from '@viz-js/viz';
import type { LogModel } from '../../src/index.ts';
import type { Diagnostic, TaskOutcome } from '../runner/index.ts';
import { flowDot, latestMismatches, lineageDot } from './dot.ts';
import { renderSvg } from './graphviz.ts';
import { logTables } from './html-log.ts';
import { html, raw, type Markup } from './markup.ts';
import type { ScenarioReport } from './types.ts';

/** Colours each diff line by its first character, as `diff -u` output reads. */
export function diffBlock(diff: string): Markup {
  const lines = diff.replace(/\n$/, '').split('\n');
  const kind = (l: string): string =>
    l.startsWith('+++') || l.startsWith('---') ? 'file' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@@') ? 'hunk' : 'ctx';
  return html`<pre class="diff">${lines.map((l) => html`<span class="${kind(l)}">${l}</span>${raw('\n')}`)}</pre>`;
}

export function diagnosticsTable(diagnostics: readonly Diagnostic[]): Markup {
  if (diagnostics.length === 0) return html`<p class="empty">No diagnostics.</p>`;
  return html`<table class="grid diagnostics" data-table="diagnostics"><thead><tr><th>severity</th><th>code</th><th>step</th><th>variable</th><th>message</th></tr></thead><tbody>${diagnostics.map(
    (d) => html`<tr class="${d.severity}" data-code="${d.code}"><td><span class="badge ${d.severity}">${d.severity}</span></td><td><code>${d.code}</code></td><td>${d.step ?? '—'}</td><td>${d.variable ?? '—'}</td><td>${d.message}</td></tr>`,
  )}</tbody></table>`;
}

function tasksTable(tasks: readonly TaskOutcome[]): Markup {
  if (tasks.length === 0) return html`<p class="empty">No task ran.</p>`;
  return html`<table class="grid tasks" data-table="tasks"><thead><tr><th>step</th><th>task</th><th>run</th><th>status</th><th>error</th></tr></thead><tbody>${tasks.map(
    (t) => html`<tr class="${t.status}"><td>${t.step}</td><td class="num">${t.task_id}</td><td>${t.run ?? '—'}</td><td><span class="badge ${t.status}">${t.status}</span></td><td>${t.error ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

const legend = (hazards: boolean): Markup =>
  html`<p class="legend"><span class="swatch created"></span> created_by <span class="swatch used"></span> used_by${hazards ? html` <span class="swatch hazard"></span> used through <code>:latest</code>, another version than the data's <span class="swatch pinned"></span> the version the data came from (pinned)` : ''}</p>`;

/** The lineage figure and everything from the log; also the body of serve's live view. */
export function logFigureAndTables(viz: Viz, log: LogModel, diagnostics: readonly Diagnostic[], prefix: string): { figure: Markup; tables: Markup } {
  const hazards = latestMismatches(diagnostics).length;
  const figure =
    log.runs.length + log.artifacts.length === 0
      ? html`<figure class="graph lineage empty" data-graph="lineage"><figcaption>Lineage</figcaption><p class="empty">Nothing was logged.</p></figure>`
      : html`<figure class="graph lineage" data-graph="lineage"><figcaption>Lineage: ${log.runs.length} runs, ${log.artifacts.length} artifact versions${hazards > 0 ? html`, <strong class="hazard-count">${hazards} uses of <code>:latest</code> resolved to another version</strong>` : ''}</figcaption>${renderSvg(viz, lineageDot(log, diagnostics, prefix))}${legend(hazards > 0)}</figure>`;
  return { figure, tables: logTables(log) };
}

export function scenarioSection(viz: Viz, s: ScenarioReport, anchor: string): Markup {
  const r = s.result;
  const failedSteps = new Set(r.tasks.filter((t) => t.status === 'failed').map((t) => t.step));
  const { figure, tables } = logFigureAndTables(viz, r.log, r.diagnostics, anchor);
  const status = s.passed ? 'passed' : 'failed';
  const snapshot = s.snapshot;
  return html`<section class="scenario ${status}" id="${anchor}" data-scenario="${r.scenario}" data-status="${status}">
<h2><span class="mark">${s.passed ? '✓' : '✗'}</span> ${r.scenario}</h2>
<p class="meta">${s.file ? html`<code>${s.file}</code> · ` : ''}flow <span class="badge ${r.flow_status}">${r.flow_status}</span> · snapshot ${snapshot ? html`<span class="badge snapshot-${snapshot.status}">${snapshot.status}</span> <code>${snapshot.path}</code>` : 'none'} · ${r.timings.total_ms.toFixed(1)} ms</p>
${!s.passed ? html`<div class="failure"><h3>Why it failed</h3>${snapshot?.diff ? diffBlock(snapshot.diff) : html`<p>${snapshot?.status === 'missing' ? `No snapshot at ${snapshot.path}; run with -u to write it.` : 'The scenario did not pass.'}</p>`}</div>` : ''}
<div class="graphs">
<figure class="graph flow" data-graph="flow"><figcaption>Flow <code>${r.graph.name}</code>: ${r.graph.steps.length} steps</figcaption>${renderSvg(viz, flowDot(r.graph, `${anchor}-f`, failedSteps))}</figure>
${figure}
</div>
<h3>Diagnostics (${r.diagnostics.length})</h3>
${diagnosticsTable(r.diagnostics)}
<h3>Tasks (${r.tasks.length})</h3>
${tasksTable(r.tasks)}
${tables}
</section>`;
}
