// Our client's multipart sizes are wandb-core's (core/pkg/artifacts/multipart.go @ b6e2950588: S3MinMultiUploadSize
// 2 << 30, S3DefaultChunkSize 100 << 20, S3MaxParts 10000, getChunkSize rounding size / 10000 up to 4096).
import { describe, expect, it } from 'vitest';
import { DEFAULT_MULTIPART, MAX_PARTS, partSize } from '../../../src/wandb/index.ts';

describe('multipart sizes', () => {
  it('default threshold and part size are wandb-core constants', () => {
    expect(DEFAULT_MULTIPART).toEqual({ thresholdBytes: 2147483648, partBytes: 104857600 });
    expect(MAX_PARTS).toBe(10000);
  });

  it('100 MiB parts while 10,000 of them hold the file, then size / 10,000 rounded up to 4 KiB', () => {
    expect(partSize(3 * 1024 ** 3, DEFAULT_MULTIPART)).toBe(104857600);
    expect(partSize(1048576000000 - 1, DEFAULT_MULTIPART)).toBe(104857600);
    // 2 TiB / 10000 = 219902325.55 -> 219902326 -> next multiple of 4096 (computed by hand from getChunkSize).
    expect(partSize(2 * 1024 ** 4, DEFAULT_MULTIPART)).toBe(219906048);
  });
});
