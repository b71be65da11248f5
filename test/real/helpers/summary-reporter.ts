// The tier's last line: `real SDK: N flows live = plan, P Public API reads, R replays; F failed`. A test counts
// by the start of its name: `live = plan: FLOW, ...` (a flow counts once every one of its live runs passed),
// `Public API: ...`, `replay: ...`. Anything failed, any test or error, counts in F.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  async onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): Promise<void> {
    const live = new Map<string, boolean>();
    let api = 0;
    let replays = 0;
    let failed = errors.length;
    for (const m of modules) {
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        const ok = state === 'passed';
        if (state === 'failed') failed++;
        const flow = /^live = plan: ([^,]+)/.exec(t.name)?.[1];
        if (flow !== undefined) live.set(flow, (live.get(flow) ?? true) && ok);
        else if (ok && t.name.startsWith('Public API:')) api++;
        else if (ok && t.name.startsWith('replay:')) replays++;
      }
    }
    const n = [...live.values()].filter(Boolean).length;
    // Last: after the other reporters' closing lines (the json reporter's "JSON report written to" comes after
    // its file write, a few ms into this hook).
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.stdout.write(`real SDK: ${n} flows live = plan, ${api} Public API reads, ${replays} replays; ${failed} failed\n`);
  }
}
