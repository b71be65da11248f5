// The oracle of the pickle properties: CPython itself. python3 evaluates each expression (after `prelude`, e.g.
// `import numpy as np`) and pickles it with protocol 4, as the integration's pickle.dump does; the md5 is base64,
// as W&B's manifest writes it. `env` picks the interpreter's packages (the real-SDK kit's for numpy and pandas).
import { execFileSync } from 'node:child_process';

export function cpythonPickleMd5s(exprs: readonly string[], options: { prelude?: string; env?: NodeJS.ProcessEnv; warningsAreErrors?: boolean } = {}): string[] {
  const script = `import base64,hashlib,json,pickle,sys\n${options.prelude ?? ''}\nfor e in json.load(sys.stdin): print(base64.b64encode(hashlib.md5(pickle.dumps(eval(e), protocol=4)).digest()).decode())`;
  const argv = [...(options.warningsAreErrors ? ['-W', 'error'] : []), '-c', script];
  return execFileSync('python3', argv, { input: JSON.stringify(exprs), encoding: 'utf8', ...(options.env ? { env: options.env } : {}) }).trim().split('\n');
}

/** A flow.py whose `start` step, decorated with `decorator`, runs `body` (one statement per line); `end` does nothing. */
export function startStepFlow(imports: string, decorator: string, cls: string, body: readonly string[]): string {
  return `${imports}from metaflow import FlowSpec, step\nfrom wandb.integration.metaflow import wandb_log\n\n\nclass ${cls}(FlowSpec):\n    ${decorator}\n    @step\n    def start(self):\n${body.map((l) => `        ${l}`).join('\n')}\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n`;
}
