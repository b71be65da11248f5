import { describe, expect, it } from 'vitest';
import { planFlowFile } from '../../../harness/python/index.ts';

// Issue 29: values logged as `others` through `plan` of a flow.py. Expected md5s and sizes are those of
// `pickle.dump(value, f)` with the SDK kit's numpy 1.24.2 (python3 -c '...' in the kit, as the real run writes them).
const FLOW = `import numpy as np
from metaflow import FlowSpec, step
from wandb.integration.metaflow import wandb_log


class F(FlowSpec):
    @wandb_log(others=True)
    @step
    def start(self):
        self.arr = np.arange(1, 9)
        self.weights = (np.array([[1.5, 2.5], [3.5, 4.5]]), np.int64(3))
        self.label = "%s-%03d|%.2e" % ("run", 7, 12345.678)
        self.next(self.end)

    @step
    def end(self):
        pass
`;

describe('plan of values logged as others', () => {
  it('pickles numpy values to the bytes of the real run, and %-formats a str as CPython', async () => {
    const { result, diagnostics } = await planFlowFile('flow.py', { text: FLOW, runId: '1' });
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const files = Object.fromEntries(result!.log.artifacts.flatMap((a) => a.files.map((f) => [f.path, [f.md5, f.size]])));
    expect(files['arr.pkl']).toEqual(['QMayNUyyuefB33d7hkB+tQ==', 211]);
    expect(files['weights.pkl']).toEqual(['emWrOHStmTZlfUfEn4DCFw==', 247]);
    expect(result!.log.runs[0]!.summary['label']).toBe('run-007|1.23e+04');
  });
});
