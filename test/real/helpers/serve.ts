// `tracked-flows serve --port 0`, started through the CLI as a user does, and its harness endpoints.
import { parseLenientJson, type LogModel } from '../../../src/index.ts';
import { startServe as startServeProcess, type ServeProcess } from '../../helpers/serve-process.ts';

export type { LogModel, ServeProcess };

/** A fresh `tracked-flows serve --port 0` (the CLI, a separate process); its URL is the port it prints. */
export function startServe(): Promise<ServeProcess> {
  return startServeProcess();
}

/** Parsed leniently: a float the server wrote as `1.0` stays noted as a float (canonicalJson writes it back). */
async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text}`);
  return parseLenientJson(text);
}

/** `GET /_harness/log`: the log model of what the server was sent. */
export async function harnessLog(url: string): Promise<LogModel> {
  return (await getJson(`${url}/_harness/log`)) as LogModel;
}

/** `GET /_harness/stats`: the requests the server refused (4xx/5xx), which an SDK may have retried or swallowed. */
export async function harnessStats(url: string): Promise<{ refused: number; requests: { method: string; path: string; status: number }[] }> {
  return (await getJson(`${url}/_harness/stats`)) as { refused: number; requests: { method: string; path: string; status: number }[] };
}
