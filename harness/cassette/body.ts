// Bodies in and out of the cassette. JSON is kept as JSON only when the exact bytes can be rebuilt from it
// (compact like JSON.stringify, or Python's json.dumps defaults like the legacy SDK); anything else stays
// text, so re-sending a recorded upload always produces the md5 the server was told about.

import { pyJsonDumps } from './py-json.ts';
import { BASE_URL_PLACEHOLDER, type Body } from './format.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeBody(bytes: Uint8Array): Body | null {
  if (bytes.byteLength === 0) return null;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { base64: Buffer.from(bytes).toString('base64') };
  }
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      const json: unknown = JSON.parse(text);
      if (JSON.stringify(json) === text) return { json, style: 'compact' };
      if (pyJsonDumps(json) === text) return { json, style: 'python' };
    } catch {
      // not JSON after all: keep the text
    }
  }
  return { text };
}

export function bodyText(body: Body): string {
  if ('json' in body) return body.style === 'python' ? pyJsonDumps(body.json) : JSON.stringify(body.json);
  if ('text' in body) return body.text;
  return Buffer.from(body.base64, 'base64').toString('utf8');
}

export function bodyBytes(body: Body | null): Uint8Array {
  if (body === null) return new Uint8Array(0);
  if ('base64' in body) return new Uint8Array(Buffer.from(body.base64, 'base64'));
  return new Uint8Array(Buffer.from(bodyText(body), 'utf8'));
}

/** The same kind of body with every string leaf (JSON) or the whole text passed through `f`. */
export function mapBodyStrings(body: Body | null, f: (s: string) => string): Body | null {
  if (body === null || 'base64' in body) return body;
  if ('text' in body) return { text: f(body.text) };
  return { json: mapStrings(body.json, f), style: body.style };
}

export function mapStrings(value: unknown, f: (s: string, key: string | undefined) => string, key?: string): unknown {
  if (typeof value === 'string') return f(value, key);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, f, k);
    return out;
  }
  return value;
}

/**
 * The live request's body, for its key only: parsed JSON (the style does not take part in keys) with the
 * server's own origin written as the placeholder, as recorded bodies have it; else text, else base64.
 */
export function liveBody(bytes: Uint8Array, origin: string): Body | null {
  if (bytes.byteLength === 0) return null;
  if (bytes[0] === 0x7b || bytes[0] === 0x5b) {
    try {
      return { json: JSON.parse(utf8.decode(bytes).split(origin).join(BASE_URL_PLACEHOLDER)), style: 'compact' };
    } catch {
      // not UTF-8 JSON: fall through
    }
  }
  return mapBodyStrings(encodeBody(bytes), (s) => s.split(origin).join(BASE_URL_PLACEHOLDER));
}
