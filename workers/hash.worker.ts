/**
 * Hash worker: SHA-256 of a Blob's raw bytes, on its own thread so a CSV
 * import can hash and parse at the same time. Started and ended (on cancel)
 * by the data worker; plain messages, one request at a time.
 */
import { createSha256 } from '../src/lib/core/common';

export interface HashRequest {
  id: number;
  blob: Blob;
}

export type HashReply = { id: number; ok: true; hex: string } | { id: number; ok: false; message: string };

async function hashBlob(blob: Blob): Promise<string> {
  const hasher = await createSha256();
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hasher.update(value);
    }
  } finally {
    reader.releaseLock();
  }
  return hasher.digestHex();
}

self.onmessage = (event: MessageEvent<HashRequest>): void => {
  const { id, blob } = event.data;
  hashBlob(blob).then(
    (hex) => self.postMessage({ id, ok: true, hex } satisfies HashReply),
    (err: unknown) => self.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies HashReply),
  );
};
