// Answers for GET and HEAD of stored bytes: Content-Length always, the body streamed a chunk at a time, and a
// single `Range: bytes=a-b` honoured with 206 (the Python SDK's multipart download asks for `bytes=start-end`
// and `bytes=start-`, wandb/sdk/artifacts/storage_policies/_multipart.py). Anything else in Range (several
// ranges, other units) is answered with the whole body, as RFC 9110 allows.

export interface Bytes {
  size: number;
  type: string;
  /** The bytes [start, end], inclusive; only called for a non-empty GET. */
  read(start: number, end: number): ReadableStream<Uint8Array>;
}

export function bytesResponse(method: string, range: string | null, bytes: Bytes): Response {
  const { size } = bytes;
  const headers: Record<string, string> = { 'content-type': bytes.type, 'accept-ranges': 'bytes' };
  const wanted = parseRange(range, size);
  if (wanted === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}`, 'content-length': '0' } });
  }
  const [start, end] = wanted ?? [0, size - 1];
  const length = end - start + 1;
  headers['content-length'] = String(length);
  if (wanted) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const status = wanted ? 206 : 200;
  if (method === 'HEAD' || length === 0) return new Response(null, { status, headers });
  return new Response(bytes.read(start, end), { status, headers });
}

/** [start, end] inclusive, null for "the whole body", or unsatisfiable (416). */
export function parseRange(header: string | null, size: number): [number, number] | null | 'unsatisfiable' {
  const m = header === null ? null : /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    // A suffix: the last n bytes.
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return [start, end];
}
