// vitest globalSetup of the real-SDK tier: the kit is built once, before any test file.
import { ensureKit } from './kit.ts';

export default function setup(): void {
  ensureKit();
}
