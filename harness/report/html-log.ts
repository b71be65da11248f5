// The log model (DESIGN §3.6) as HTML tables: each run's config, summary and history, and the artifact versions
// with their files. Shared by the static report and serve's live view.

import { canonicalJson, type LogArtifact, type LogModel, type LogRun } from '../../src/index.ts';
import { html, type Markup } from './markup.ts';

/** A value as compact JSON with sorted keys — strings quoted, so `"0.5"` and `0.5` look different: what was logged, exactly. */
export function cellValue(value: unknown): string {
  return canonicalJson(value, 0) ?? String(value);
}

const keyValueTable = (caption: string, values: Record<string, unknown>, kind: string): Markup => {
  const keys = Object.keys(values).sort();
  if (keys.length === 0) return html`<p class="empty" data-table="${kind}">${caption}: none</p>`;
  return html`<table class="kv" data-table="${kind}"><caption>${caption}</caption><tbody>${keys.map(
    (k) => html`<tr><th scope="row">${k}</th><td><code>${cellValue(values[k])}</code></td></tr>`,
  )}</tbody></table>`;
};

function historyTable(rows: readonly Record<string, unknown>[]): Markup {
  if (rows.length === 0) return html`<p class="empty" data-table="history">history: none</p>`;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  return html`<table class="grid" data-table="history"><caption>history</caption><thead><tr><th>#</th>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead><tbody>${rows.map(
    (row, i) => html`<tr><td class="num">${i}</td>${columns.map((c) => html`<td>${c in row ? html`<code>${cellValue(row[c])}</code>` : ''}</td>`)}</tr>`,
  )}</tbody></table>`;
}

const versionList = (names: readonly string[]): Markup | string =>
  names.length === 0 ? '—' : html`${names.map((n, i) => html`${i > 0 ? ', ' : ''}<code>${n}</code>`)}`;

function runSection(run: LogRun): Markup {
  return html`<details class="run ${run.state}" data-run="${run.ref}" open>
<summary><strong>${run.ref}</strong> <span class="muted">${run.job_type ?? '(no job type)'} · ${run.group ?? '(no group)'} · id ${run.id}</span> <span class="badge ${run.state}">${run.state}${run.exit_code !== null && run.exit_code !== 0 ? ` (exit ${run.exit_code})` : ''}</span></summary>
<p class="muted">${run.entity}/${run.project} · logged ${versionList(run.logged_artifacts)} · used ${versionList(run.used_artifacts)}</p>
${Object.keys(run.config).length + Object.keys(run.summary).length + run.history.length === 0
    ? html`<p class="empty">Nothing in config, summary or history.</p>`
    : html`<div class="tables">${keyValueTable('config', run.config, 'config')}${keyValueTable('summary', run.summary, 'summary')}</div>${historyTable(run.history)}`}
</details>`;
}

function artifactRow(a: LogArtifact): Markup {
  const name = `${a.name}:${a.version}`;
  return html`<tr data-artifact="${name}"><td><code>${name}</code></td><td>${a.type}</td><td>${a.aliases.join(', ')}</td><td><code class="digest">${a.digest ?? 'unknown'}</code></td><td>${a.created_by ?? '—'}</td><td>${a.used_by.length ? a.used_by.join(', ') : '—'}</td><td>${
    a.files.length === 0
      ? '—'
      : html`<table class="files"><tbody>${a.files.map((f) => (f.md5 === null
        ? html`<tr><td><code>${f.path}</code></td><td class="num">?</td><td>bytes not predicted: ${f.unknown}</td></tr>`
        : html`<tr><td><code>${f.path}</code></td><td class="num">${formatBytes(f.size)}</td><td><code class="digest">${f.md5}</code></td></tr>`))}</tbody></table>`
  }</td></tr>`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Runs, then artifacts, then what the backend did not understand. */
export function logTables(log: LogModel): Markup {
  return html`<h3>Runs (${log.runs.length})</h3>
${log.runs.length === 0 ? html`<p class="empty">No run was logged.</p>` : log.runs.map(runSection)}
<h3>Artifacts (${log.artifacts.length})</h3>
${log.artifacts.length === 0
    ? html`<p class="empty">No artifact version was committed.</p>`
    : html`<table class="grid artifacts" data-table="artifacts"><thead><tr><th>version</th><th>type</th><th>aliases</th><th>digest</th><th>created by</th><th>used by</th><th>files (path, size, md5)</th></tr></thead><tbody>${log.artifacts.map(artifactRow)}</tbody></table>`}
${log.unsupported.length > 0 ? html`<h3>Unsupported operations</h3><ul class="unsupported">${log.unsupported.map((op) => html`<li><code>${op}</code></li>`)}</ul>` : ''}`;
}
