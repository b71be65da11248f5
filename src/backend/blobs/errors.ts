import { BackendError } from '../errors.ts';

/** The store itself failed (disk full, a file gone): a server-side problem, answered 500 with code DATA_DIR. */
export class BlobStoreError extends BackendError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('DATA_DIR', `Failed to use the blob store: ${reason}. Check free space and permissions of the store's folder.`, options);
  }
}
