// `GET /_harness/stats` counts what the backend refused: an SDK retries or swallows a 4xx/5xx, so a session can
// end well with requests nobody served. Driven over HTTP as an SDK would; good requests are never counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockBackend, startHttpTransport, type HttpTransport } from '../../src/index.ts';

let srv: HttpTransport;
const stats = async () => (await fetch(`${srv.url}/_harness/stats`)).json() as Promise<{ refused: number; requests: { method: string; path: string; status: number }[] }>;
const gql = (body: string) => fetch(`${srv.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

beforeAll(async () => {
  srv = await startHttpTransport(new MockBackend(), { port: 0 });
});
afterAll(() => srv.close());

describe('GET /_harness/stats: refused requests', () => {
  it('starts at zero and does not count good requests (nor itself)', async () => {
    expect((await gql(JSON.stringify({ query: '{ serverInfo { features { name } } }' }))).status).toBe(200);
    expect(await stats()).toEqual({ refused: 0, requests: [] });
  });

  it('counts a bad request, an unknown route and a wrong method, each with its status', async () => {
    expect((await gql('{not json')).status).toBe(400);
    expect((await fetch(`${srv.url}/no/such/route`)).status).toBe(404);
    expect((await fetch(`${srv.url}/graphql`)).status).toBe(405);
    expect(await stats()).toEqual({
      refused: 3,
      requests: [
        { method: 'POST', path: '/graphql', status: 400 },
        { method: 'GET', path: '/no/such/route', status: 404 },
        { method: 'GET', path: '/graphql', status: 405 },
      ],
    });
  });

  it('is cleared by POST /_harness/reset', async () => {
    expect((await fetch(`${srv.url}/_harness/reset`, { method: 'POST' })).status).toBe(200);
    expect((await stats()).refused).toBe(0);
  });
});
