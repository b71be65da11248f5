import { createHash } from 'node:crypto';
import { MANIFEST_DIGEST_PREAMBLE } from '../protocol/index.ts';
import { byCodePoint } from './json.ts';

// The backend checks digests itself instead of trusting the client's: it must not share the client's bugs.

/** W&B's artifact digest (reference §5.3): md5 over the preamble and `path:digest\n` in UTF-8 byte order. */
export function computeManifestDigest(contents: Record<string, { digest: string }>): string {
  const h = createHash('md5').update(MANIFEST_DIGEST_PREAMBLE);
  for (const path of Object.keys(contents).sort(byCodePoint)) h.update(`${path}:${contents[path]!.digest}\n`, 'utf8');
  return h.digest('hex');
}

export function md5Base64(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}
