export { type BlobRef, type BlobStore, type BlobWriter, type StagedBlob, md5Hex } from './store.ts';
export { DiskBlobStore, type DiskBlobStoreOptions } from './disk.ts';
export { MemoryBlobStore } from './memory.ts';
export { BlobStoreError } from './errors.ts';
export { referencedBlobs } from './references.ts';
