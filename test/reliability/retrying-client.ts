// A client that retries the way wandb-core does (reference §6), without waiting: it records the waits it would
// have made (Retry-After as is, else 2^attempt s capped at 60) so a test can assert them and stay fast.
// Every answer is read to its end before it counts, so a cut body is a failure to retry, like a reset.

export const RETRY_MAX = 20;
const RETRIED = new Set([408, 429, 500, 502, 503, 504]);

export interface RetryStats { requests: number; attempts: number; retried: number; waitedSeconds: number; gaveUp: number }

export function retryingSend(stats: RetryStats = { requests: 0, attempts: 0, retried: 0, waitedSeconds: 0, gaveUp: 0 }) {
  const send = async (request: Request): Promise<Response> => {
    stats.requests += 1;
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(await request.arrayBuffer());
    for (let attempt = 0; ; attempt++) {
      stats.attempts += 1;
      let wait = Math.min(60, 2 * 2 ** attempt);
      try {
        const res = await fetch(new Request(request.url, { method: request.method, headers: request.headers, body }));
        const bytes = await res.arrayBuffer(); // throws on a truncated body
        if (!RETRIED.has(res.status) || attempt >= RETRY_MAX) {
          if (RETRIED.has(res.status)) stats.gaveUp += 1;
          return new Response(res.status === 204 || res.status === 304 ? null : bytes, { status: res.status, headers: res.headers });
        }
        const after = res.headers.get('retry-after');
        if (after !== null) wait = Number(after);
      } catch (err) {
        if (attempt >= RETRY_MAX) {
          stats.gaveUp += 1;
          throw err;
        }
      }
      stats.retried += 1;
      stats.waitedSeconds += wait;
    }
  };
  return { send, stats };
}
