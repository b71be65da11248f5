import { BackendError, DataDir, DiskBlobStore, MockBackend, startHttpTransport, type BlobStore, type LogModel } from '../../src/index.ts';
import type { RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';

export interface ServeOptions { host: string; port: string; apiKey?: string; maxBodyBytes?: string; maxUploadBytes?: string; dataDir?: string }

/**
 * `tracked-flows serve`: the mock backend on a real port, with a live view of its log at `/`. The first stdout line is exactly
 * `listening on http://HOST:PORT` so scripts can wait for it; SIGINT/SIGTERM close the server cleanly.
 * With `--data-dir` the state is recovered from DIR before listening and every change is on disk before it is
 * answered (src/backend/data-dir.ts); recovery notes (a torn journal tail) go to stderr. Uploaded file bytes go to
 * a blob store on disk: DIR/blobs with --data-dir, else a temporary folder this process removes when it stops.
 */
export async function serve(options: ServeOptions, out: (line: string) => void, err: (line: string) => void = () => {}): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('BAD_PORT', `Failed to serve: --port must be an integer 0-65535, got "${options.port}".`);
  const maxBodyBytes = limitOption(options.maxBodyBytes, '--max-body-bytes');
  const maxUploadBytes = limitOption(options.maxUploadBytes, '--max-upload-bytes');
  let durable: DataDir | undefined;
  let blobs: BlobStore | undefined;
  let backend: MockBackend;
  try {
    durable = options.dataDir === undefined ? undefined : new DataDir(options.dataDir, { warn: err });
    blobs = durable ? durable.blobs : DiskBlobStore.temporary();
    // A server keeps real time (createdAt, heartbeatAt); in-process runs keep the backend's fixed clock for byte-identical snapshots.
    backend = new MockBackend({ apiKey: options.apiKey, maxBodyBytes, maxUploadBytes, durable, blobs, now: () => new Date() });
  } catch (e) {
    durable?.close();
    blobs?.close();
    if (e instanceof BackendError) throw new CliError('BAD_DATA_DIR', e.message);
    throw e;
  }
  let transport;
  try {
    transport = await startHttpTransport(backend, { host: options.host, port, route: (req) => liveView(backend, req) });
  } catch (err) {
    throw new CliError('LISTEN_FAILED', `Failed to listen on ${options.host}:${port}: ${(err as Error).message}. Pick another --port (0 picks a free one).`);
  }
  const t = transport;
  const store = blobs;
  // The temporary store goes with the process, however it ends (short of SIGKILL).
  process.once('exit', () => store.close());
  // Handlers go in before the `listening` line: a script may signal the moment it reads that line.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void t.close().then(() => {
        durable?.close();
        store.close();
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out(`listening on ${t.url}`);
  await stopped;
  return 0;
}

/**
 * `GET /`: the live view of what the backend has logged (harness/report/live.ts). It shows data, so it is guarded
 * exactly like `/_harness/log`: everything is read through the backend with the caller's own key, and a refusal
 * is passed on — with a Basic challenge, so a browser asks for the key (user `api`, password the key). The facts
 * come from the Public API's schema (one GraphQL query, harness/report/live-query.ts), as wandb.Api() reads them;
 * the log gives the runs' refs, the unsupported list and the hash the page's poller compares.
 */
async function liveView(backend: MockBackend, req: Request): Promise<Response | null> {
  const url = new URL(req.url);
  if (url.pathname !== '/' || req.method !== 'GET') return null;
  const auth: Record<string, string> = req.headers.get('authorization') ? { authorization: req.headers.get('authorization')! } : {};
  const answer = await backend.handle(new Request(new URL('/_harness/log', url), { headers: auth }));
  if (answer.status !== 200) {
    const headers = new Headers(answer.headers);
    if (answer.status === 401) headers.set('www-authenticate', 'Basic realm="tracked-flows", charset="UTF-8"');
    return new Response(await answer.arrayBuffer(), { status: answer.status, headers });
  }
  const logText = await answer.text();
  const { LIVE_QUERY, logFromLiveAnswer } = await import('../report/live-query.ts');
  const read = await backend.handle(new Request(new URL('/graphql', url), { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: LIVE_QUERY }) }));
  const body = (await read.json()) as { data?: unknown; errors?: unknown };
  if (read.status !== 200 || !body.data) return new Response(JSON.stringify(body), { status: read.status === 200 ? 500 : read.status, headers: { 'content-type': 'application/json' } });
  const log = logFromLiveAnswer(body.data as never, JSON.parse(logText) as LogModel);
  // Loaded on the first visit: Graphviz's WASM bundle is large, and most serve sessions never open the page.
  const { logHash, renderLivePage } = await import('../report/live.ts');
  const html = await renderLivePage(log, { url: url.origin, hash: logHash(logText) });
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

function limitOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n > 0)) throw new CliError('BAD_LIMIT', `Failed to serve: ${flag} must be a positive integer, got "${value}".`);
  return n;
}

export const registerServe: RegisterCommand = (program, ctx) => {
  program
    .command('serve')
    .description('serve the mock W&B backend on a real port (point WANDB_BASE_URL at it)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '8080')
    .option('--api-key <key>', 'require this API key (Basic api:<key>) on GraphQL, file_stream and /_harness (default: none, no key checked)')
    .option('--max-body-bytes <n>', 'largest accepted GraphQL, file_stream or manifest body, in bytes (default: 67108864, 64 MiB)')
    .option('--max-upload-bytes <n>', 'largest accepted file upload (storage PUT), in bytes (default: no cap)')
    .option('--data-dir <dir>', 'keep the state in DIR (journal + atomic snapshots) and recover it on start (default: in memory, blobs in a temporary folder)')
    .action(async (opts: ServeOptions) => ctx.exit(await serve(opts, ctx.out, ctx.err)));
};
