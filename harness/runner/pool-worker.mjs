// Entry of a pool worker thread. The harness is TypeScript and a worker thread does not inherit the main
// thread's loader (tsx in the CLI, vite in vitest), so the worker registers tsx itself before importing it.
import { register } from 'tsx/esm/api';

register();
const { default: runTask } = await import('./pool-task.ts');
export default runTask;
