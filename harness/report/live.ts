// serve's live view: the backend's current log drawn like a scenario of the report (lineage graph, runs,
// artifacts), with a small poller that reloads the page when `/_harness/log` changes. The page embeds a hash of
// the log it shows; the poller hashes what the server says now, so it reloads only when something was logged.

import type { Viz } from '@viz-js/viz';
import { serializeLog, type LogModel } from '../../src/index.ts';
import { loadGraphviz } from './graphviz.ts';
import { page } from './html-page.ts';
import { logFigureAndTables } from './html-scenario.ts';
import { html, raw } from './markup.ts';

export const LIVE_POLL_MS = 1000;

/**
 * FNV-1a (32 bit) over UTF-16 code units, as hex: tiny, and written identically in the page's script below, where
 * crypto.subtle is not always available (it needs a secure context).
 */
export function logHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

// Same origin, so a browser that passed Basic auth for `/` sends it for `/_harness/log` too.
const POLLER = `(function () {
  var shown = document.body.getAttribute('data-log-hash');
  var status = document.getElementById('live-status');
  function hash(t) { var h = 0x811c9dc5; for (var i = 0; i < t.length; i++) { h ^= t.charCodeAt(i); h = Math.imul(h, 0x01000193); } return (h >>> 0).toString(16).padStart(8, '0'); }
  function poll() {
    fetch('/_harness/log', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
      .then(function (t) { if (hash(t) !== shown) { location.reload(); return; } status.textContent = 'live'; setTimeout(poll, ${LIVE_POLL_MS}); })
      .catch(function (e) { status.textContent = 'disconnected (' + e.message + '), retrying'; setTimeout(poll, ${LIVE_POLL_MS}); });
  }
  setTimeout(poll, ${LIVE_POLL_MS});
})();`;

export interface LiveOptions {
  /** Where the backend listens, shown in the header. */
  url?: string;
  /** logHash of the `/_harness/log` text the poller will compare with (default: of this log, serialized). */
  hash?: string;
}

export function renderLivePageWith(viz: Viz, log: LogModel, options: LiveOptions = {}): string {
  const { figure, tables } = logFigureAndTables(viz, log, [], 'live');
  const header = html`<span class="live-status" id="live-status">live</span><h1>tracked-flows serve — live view</h1>
<div class="summary"><div class="count" data-count="runs"><strong>${log.runs.length}</strong>runs</div><div class="count" data-count="artifacts"><strong>${log.artifacts.length}</strong>artifact versions</div><div class="count" data-count="unsupported"><strong>${log.unsupported.length}</strong>unsupported</div>${options.url ? html`<div class="count"><code>${options.url}</code></div>` : ''}</div>`;
  const body = html`<section class="scenario live passed" id="live" data-scenario="live">
<h2>What the backend has logged</h2>
<p class="meta muted">Refreshes when new traffic changes the log (<code>GET /_harness/log</code>, every ${LIVE_POLL_MS / 1000} s).</p>
<div class="graphs">${figure}</div>
${tables}
</section>`;
  return page({ title: 'tracked-flows serve — live', header, body, script: POLLER, bodyAttrs: raw(html` data-log-hash="${options.hash ?? logHash(serializeLog(log))}"`.value) });
}

export async function renderLivePage(log: LogModel, options: LiveOptions = {}): Promise<string> {
  return renderLivePageWith(await loadGraphviz(), log, options);
}
