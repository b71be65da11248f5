// The HTML report in a real browser: opened from a file:// URL, every scenario's section and graphs render, the
// failing one shows its diff, and the page asks the network for nothing at all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport, renderJunitReport, type RunReport } from '../../harness/report/index.ts';
import { sampleReport } from '../fixtures/report/results.ts';
import { SKIP_REASON, hasChromium, launchChromium, outputDir } from './chromium.ts';

describe.skipIf(!hasChromium)(`the HTML report in Chromium${hasChromium ? '' : ` (${SKIP_REASON})`}`, () => {
  let browser: Browser;
  let page: Page;
  let report: RunReport;
  let fileUrl: string;
  const requests: string[] = [];
  const problems: string[] = [];
  const dir = outputDir('report');

  beforeAll(async () => {
    report = await sampleReport();
    const file = join(dir, 'report.html');
    writeFileSync(file, await renderHtmlReport(report));
    fileUrl = pathToFileURL(file).href;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('request', (r) => requests.push(r.url()));
    // A CSP violation or a script error would show here.
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(fileUrl, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('has a section per scenario, each with its flow graph and lineage graph drawn', async () => {
    const ids = await page.locator('section.scenario').evaluateAll((els) => els.map((e) => [e.getAttribute('data-scenario'), e.getAttribute('data-status')]));
    expect(ids).toEqual([['linear', 'passed'], ['foreach-latest', 'passed'], ['foreach-pinned', 'failed'], ['crashing', 'passed']]);
    for (const id of ['linear', 'foreach-latest', 'foreach-pinned', 'crashing']) {
      const section = page.locator(`section[data-scenario="${id}"]`);
      await expect.poll(() => section.isVisible()).toBe(true);
      const flowBox = await section.locator('figure[data-graph="flow"] svg').boundingBox();
      expect(flowBox!.width).toBeGreaterThan(40);
      expect(flowBox!.height).toBeGreaterThan(100);
      expect(await section.locator('figure[data-graph="flow"] svg g.node title').allTextContents()).toContain('start');
    }
    const summary = await page.locator('[data-count="passed"] strong, [data-count="failed"] strong').allTextContents();
    expect(summary).toEqual(['3', '1']);
  });

  it('names lineage nodes after runs and artifact versions, and draws latest-mode hazards red and dashed', async () => {
    const lineage = page.locator('section[data-scenario="foreach-latest"] figure[data-graph="lineage"] svg');
    const titles = await lineage.locator('g.node title').allTextContents();
    expect(titles).toEqual(expect.arrayContaining(['run-5', 'run-6', 'model:v0', 'model:v1', 'model:v2']));
    const edges = await lineage.locator('g.edge').evaluateAll((gs) =>
      gs.map((g) => {
        const path = g.querySelector('path')!;
        const style = getComputedStyle(path);
        return { kind: g.getAttribute('class'), title: g.querySelector('title')!.textContent, stroke: style.stroke, dash: style.strokeDasharray };
      }),
    );
    const red = 'rgb(214, 39, 40)';
    expect(edges.filter((e) => e.kind === 'edge hazard-used')).toEqual([
      { kind: 'edge hazard-used', title: 'model:v2->run-5', stroke: red, dash: 'none' },
      { kind: 'edge hazard-used', title: 'model:v2->run-6', stroke: red, dash: 'none' },
    ]);
    const pinned = edges.filter((e) => e.kind === 'edge hazard-pinned');
    expect(pinned.map((e) => e.title)).toEqual(['model:v0->run-5', 'model:v1->run-6']);
    expect(pinned.every((e) => e.stroke === red && e.dash !== 'none')).toBe(true);
    // The correct use (run-7 read the v2 it used) stays an ordinary edge.
    expect(edges.find((e) => e.title === 'model:v2->run-7')).toMatchObject({ kind: 'edge used_by' });
    await page.locator('section[data-scenario="foreach-latest"] .graphs').screenshot({ path: join(outputDir('report'), 'foreach-latest-graphs.png') });
  });

  it('marks the failing scenario and shows its snapshot diff', async () => {
    const failed = page.locator('section[data-scenario="foreach-pinned"]');
    expect(await failed.getAttribute('data-status')).toBe('failed');
    expect(await failed.locator('h2 .mark').textContent()).toBe('✗');
    expect(await failed.locator('.failure pre.diff .del').allTextContents()).toEqual(['-        "model:v2"']);
    expect(await failed.locator('.failure pre.diff .file').allTextContents()).toEqual(['--- snapshots/foreach-pinned.json', '+++ foreach-pinned (this run)']);
    expect(await failed.locator('.failure pre.diff .add').allTextContents()).toEqual(['+        "model:v0"']);
    const colour = await failed.locator('.failure pre.diff .add').evaluate((e) => getComputedStyle(e).color);
    expect(colour).toBe('rgb(34, 84, 61)');
    expect(await page.locator('section[data-scenario="linear"] .failure').count()).toBe(0);
  });

  it('shows runs, artifacts and diagnostics as tables', async () => {
    const linear = page.locator('section[data-scenario="linear"]');
    expect(await linear.locator('details[data-run="run-2"] table[data-table="summary"] td').allTextContents()).toEqual(['0.91']);
    expect(await linear.locator('tr[data-artifact="raw_df:v0"] table.files code').first().textContent()).toBe('raw_df.parquet');
    // The join of this flow reads nothing through its inputs, so JOIN_INPUTS_UNTRACKED does not apply.
    const codes = await page.locator('section[data-scenario="foreach-latest"] table[data-table="diagnostics"] tr[data-code]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
    expect(codes).toEqual(['LATEST_MISMATCH', 'LATEST_MISMATCH', 'SIBLING_WRITE']);
  });

  it('made no request but the file itself, and no error', async () => {
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(requests).toEqual([fileUrl]);
    expect(problems).toEqual([]);
  });

  it('the JUnit XML is well-formed to the browser\'s own XML parser', async () => {
    const xml = renderJunitReport(report);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return { errors: doc.getElementsByTagName('parsererror').length, cases: [...doc.getElementsByTagName('testcase')].map((t) => t.getAttribute('name')) };
    }, xml);
    expect(parsed).toEqual({ errors: 0, cases: ['linear', 'foreach-latest', 'foreach-pinned', 'crashing'] });
  });
});
