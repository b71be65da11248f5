// Real SDK captures (reference/captures/*.jsonl): load them and play them against a backend as the SDK would,
// with the ids and upload URLs the backend hands out substituted for the captured ones.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pyJsonDumps } from './py-json.ts';
import { CassetteError } from './errors.ts';

export interface CaptureRecord {
  method: string;
  path: string;
  headers?: Record<string, string>;
  auth_present?: boolean;
  json?: unknown;
  text?: string;
  bytes_b64?: string;
  md5_b64?: string;
  op?: string;
  kind?: string;
}

export function loadCapture(file: string): CaptureRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CassetteError('CAPTURE_UNREADABLE', `${file}: cannot read the capture (${(err as Error).message}).`);
  }
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (err) {
      throw new CassetteError('CAPTURE_INVALID', `${file}:${i + 1}:1: not a JSON line (${(err as Error).message}).`);
    }
    const r = rec as CaptureRecord;
    if (!r || typeof r.method !== 'string' || typeof r.path !== 'string') {
      throw new CassetteError('CAPTURE_INVALID', `${file}:${i + 1}:1: a capture line needs "method" and "path".`);
    }
    return [r];
  });
}

export interface PlayedRequest { index: number; label: string; status: number; problem: string | null }

const md5b64 = (b: Uint8Array | string) => createHash('md5').update(b).digest('base64');
const SAVE_OPS = new Set(['CreateArtifactManifest', 'CreateArtifactFiles', 'CommitArtifact']);
type Send = (request: Request) => Promise<Response>;

/**
 * Plays a capture through `send`. Every answer is checked the way the SDK reads it: a 2xx, GraphQL without
 * `errors`. Ids are bound by looking ahead in the capture (the artifact a CreateArtifact made is the one the
 * next save operation names), as the SDK would carry the server's ids forward.
 */
export async function playCapture(records: CaptureRecord[], baseUrl: string, send: Send, apiKey?: string): Promise<PlayedRequest[]> {
  const ids = new Map<string, string>();
  const uploads: { match: (r: CaptureRecord) => boolean; url: string | null; body?: string }[] = [];
  const deduped = new Set<string>();
  const subst = (v: unknown): unknown =>
    typeof v === 'string' ? (ids.get(v) ?? v) : Array.isArray(v) ? v.map(subst) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subst(x)])) : v;
  const ahead = (i: number, ops: Set<string>, pick: (vars: Record<string, unknown>) => unknown): string | undefined => {
    for (const r of records.slice(i + 1)) {
      if (r.op === 'CreateArtifact') return undefined;
      const vars = (r.json as { variables?: Record<string, unknown> } | undefined)?.variables;
      const v = r.op && ops.has(r.op) && vars ? pick(vars) : undefined;
      if (typeof v === 'string') return v;
    }
    return undefined;
  };
  const auth: Record<string, string> = apiKey ? { authorization: `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}` } : {};
  const out: PlayedRequest[] = [];

  for (const [i, r] of records.entries()) {
    const label = r.op ?? r.kind ?? r.method;
    const bare = r.path.split('?')[0]!;
    let problem: string | null = null;
    let status = 0;
    try {
      if (r.method === 'POST' && bare.endsWith('/graphql')) {
        const body = r.json as { query: string; variables?: Record<string, unknown> };
        const vars = (body.variables ?? {}) as Record<string, unknown>;
        const artifactId = typeof vars.artifactID === 'string' ? vars.artifactID : undefined;
        if (r.op && SAVE_OPS.has(r.op) && artifactId && deduped.has(artifactId)) {
          out.push({ index: i, label, status: 0, problem: null }); // the SDK skips a deduplicated artifact's save
          continue;
        }
        const sent = subst(vars) as Record<string, unknown>;
        let manifestBody: string | undefined;
        if (r.op === 'CreateArtifactManifest' && vars.includeUpload && typeof vars.digest === 'string') {
          const put = records.slice(i + 1).find((x) => x.method === 'PUT' && x.md5_b64 === vars.digest && x.json);
          if (put) {
            manifestBody = pyJsonDumps(subst(put.json));
            sent.digest = md5b64(manifestBody);
          }
        }
        const res = await send(new Request(new URL(r.path, baseUrl), { method: 'POST', headers: { 'content-type': 'application/json', ...(r.auth_present ? auth : {}) }, body: JSON.stringify({ ...body, variables: sent }) }));
        status = res.status;
        const reply = (await res.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
        if (!res.ok || reply.errors?.length) throw new Error(reply.errors?.[0]?.message ?? `HTTP ${res.status}`);
        const data = reply.data ?? {};
        if (r.op === 'CreateArtifact') {
          const art = data.createArtifact.artifact;
          const captured = ahead(i, SAVE_OPS, (v) => v.artifactID);
          if (captured) ids.set(captured, art.id);
          if (captured && art.state === 'COMMITTED') deduped.add(captured);
        } else if (r.op === 'CreateArtifactManifest') {
          const m = data.createArtifactManifest.artifactManifest;
          if (vars.includeUpload) uploads.push({ match: (x) => x.md5_b64 === vars.digest, url: m.file.uploadUrl, body: manifestBody });
          else {
            const captured = ahead(i, new Set(['CreateArtifactFiles']), (v) => (v.artifactFiles as { artifactManifestID?: string }[] | undefined)?.[0]?.artifactManifestID);
            if (captured) ids.set(captured, m.id);
          }
        } else if (r.op === 'CreateRunFiles') {
          for (const f of data.createRunFiles.files as { name: string; uploadUrl: string | null }[]) {
            uploads.push({ match: (x) => decodeURIComponent(x.path.split('?')[0]!).endsWith(`/${f.name}`), url: f.uploadUrl });
          }
        } else if (r.op === 'CreateArtifactFiles') {
          const specs = vars.artifactFiles as { md5: string }[];
          (data.createArtifactFiles.files.edges as { node: { uploadUrl: string | null } }[]).forEach((e, k) => {
            uploads.push({ match: (x) => x.md5_b64 === specs[k]!.md5, url: e.node.uploadUrl });
          });
        }
      } else if (r.method === 'PUT') {
        const slot = uploads.find((u) => u.match(r));
        if (!slot) {
          if (![...deduped].length) throw new Error('no upload URL handed out by the server matches this captured PUT');
        } else {
          uploads.splice(uploads.indexOf(slot), 1);
          if (slot.url !== null) {
            const body = slot.body ?? (r.text !== undefined ? r.text : r.json !== undefined ? pyJsonDumps(r.json) : Buffer.from(r.bytes_b64 ?? '', 'base64'));
            const res = await send(new Request(new URL(slot.url, baseUrl), { method: 'PUT', body }));
            status = res.status;
            if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 160)}`);
          }
        }
      } else {
        const res = await send(new Request(new URL(r.path, baseUrl), { method: r.method, headers: { 'content-type': 'application/json', ...(r.auth_present ? auth : {}) }, body: r.json === undefined ? undefined : pyJsonDumps(r.json) }));
        status = res.status;
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 160)}`);
      }
    } catch (err) {
      problem = (err as Error).message;
    }
    out.push({ index: i, label, status, problem });
  }
  return out;
}
