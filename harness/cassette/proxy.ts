// The recording proxy behind `tracked-flows record`: a local server between a client and its upstream.
// Every exchange is relayed and handed to the Recorder (which redacts it); the cassette is written by the
// caller once the client is done.

import { forward } from './forward.ts';
import { startLocalServer, type LocalServer } from './http-server.ts';
import type { Recorder } from './recorder.ts';
import type { Upstream } from './upstream.ts';

export interface RecordingProxy extends LocalServer { recorder: Recorder }

export async function startRecordingProxy(options: { upstream: Upstream; recorder: Recorder; host?: string; port?: number }): Promise<RecordingProxy> {
  const { upstream, recorder } = options;
  const server = await startLocalServer(async (request) => {
    const { response, exchange } = await forward(request, upstream);
    recorder.add(exchange);
    return response;
  }, { host: options.host, port: options.port });
  return { ...server, recorder };
}
