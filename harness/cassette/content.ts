// Artifact content (volatile.ts: content): bytes that legitimately change between runs of one program —
// retrained weights, timestamps inside files — and the digests that follow from them. The Keyer sets the digest
// and md5 values aside instead of keying on them; here they are compared with the recorded ones, and artifact
// uploads (URLs handed out by artifact operations, not CreateRunFiles) by the md5 of their bytes. The player
// lists what differs, or treats it as a miss with `strictContent`.

import { createHash } from 'node:crypto';
import { bodyBytes } from './body.ts';
import { BASE_URL_PLACEHOLDER, type Body, type Interaction } from './format.ts';
import type { RequestKey } from './normalise.ts';

/** A matched request whose artifact content differs from the recording (reported, not fatal). */
export interface ContentDifference {
  /** Index of the recorded interaction it matched. */
  index: number;
  /** `CreateArtifact x (dataset)`, `PUT /storage/...`. */
  label: string;
  differences: string[];
}

export class ContentCheck {
  /** Recorded upload paths handed out for artifact content (their bodies are content, not run files). */
  private readonly uploads = new Set<string>();

  constructor(private readonly interactions: readonly Interaction[], private readonly keys: readonly RequestKey[]) {
    keys.forEach((k, i) => {
      if (k.op && k.op !== 'CreateRunFiles') for (const url of uploadUrls(interactions[i]!.response.body)) this.uploads.add(url);
    });
  }

  /** The content differences of live request (key, path, bytes) from the recorded interaction `hit`, or null. */
  compare(hit: number, key: RequestKey, path: string, bytes: Uint8Array): ContentDifference | null {
    const recorded = this.keys[hit]!;
    const differences: string[] = [];
    if (key.content.size === 0 && key.op) return null;
    for (const [where, value] of key.content) {
      const was = recorded.content.get(where);
      if (was !== value) differences.push(`${where}: got ${value}, recorded ${was ?? 'nothing'}`);
    }
    if (!key.op && this.uploads.has(path)) {
      const was = bodyBytes(this.interactions[hit]!.request.body);
      const [a, b] = [md5(bytes), md5(was)];
      if (a !== b) differences.push(`bytes: got ${bytes.byteLength} (md5 ${a}), recorded ${was.byteLength} (md5 ${b})`);
    }
    if (differences.length === 0) return null;
    const label = key.op ? `${key.op}${describeArtifact(this.interactions[hit]!.request.body)}` : `${key.family.split(' ')[0]} ${path}`;
    return { index: hit, label, differences };
  }
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');

/** Upload paths (`uploadUrl` values on the replay origin) in a recorded answer. */
function uploadUrls(body: Body | null): string[] {
  const out: string[] = [];
  if (body && 'json' in body) {
    const walk = (v: unknown, key?: string): void => {
      if (typeof v === 'string' && key === 'uploadUrl' && v.startsWith(BASE_URL_PLACEHOLDER)) out.push(new URL(v.slice(BASE_URL_PLACEHOLDER.length), 'http://x.invalid').pathname);
      else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(body.json);
  }
  return out;
}

/** ` x (dataset)` for an artifact-creating request, else ''. */
function describeArtifact(body: Body | null): string {
  const vars = body && 'json' in body ? ((body.json as { variables?: Record<string, unknown> })?.variables ?? {}) : {};
  const names = vars.artifactCollectionNames;
  const name = Array.isArray(names) ? names[0] : (vars.artifactCollectionName ?? vars.name);
  return typeof name === 'string' ? ` ${name}${typeof vars.artifactTypeName === 'string' ? ` (${vars.artifactTypeName})` : ''}` : '';
}
