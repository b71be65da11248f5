// The in-process recorder: a fetch function for our own client (or playCapture) that records through the same
// forward/redact path as the proxy, without a socket. Hand `fetch` and `baseUrl` to the client under test.

import { MockBackend } from '../../src/index.ts';
import type { Cassette } from './format.ts';
import { forward } from './forward.ts';
import { Recorder, type RecorderOptions } from './recorder.ts';
import { backendUpstream, type Upstream } from './upstream.ts';

export interface InProcessRecording {
  /** The origin the client must be pointed at (WANDB_BASE_URL). */
  baseUrl: string;
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  recorder: Recorder;
  cassette(): Cassette;
}

export function recordInProcess(target: MockBackend | Upstream, options: Partial<RecorderOptions> & { baseUrl?: string } = {}): InProcessRecording {
  const upstream = target instanceof MockBackend ? backendUpstream(target) : target;
  const recorder = new Recorder({ ...options, upstream: options.upstream ?? upstream.label });
  const baseUrl = options.baseUrl ?? 'http://recorder.invalid';
  return {
    baseUrl,
    recorder,
    cassette: () => recorder.toCassette(),
    fetch: async (input, init) => {
      const { response, exchange } = await forward(new Request(input, init), upstream);
      recorder.add(exchange);
      return response;
    },
  };
}
