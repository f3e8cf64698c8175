/** Reading a Blob or File as a stream of byte chunks, for the streaming importer. */

/** The Blob's bytes, chunk by chunk as the browser (or Node) reads them; the reader is released when iteration stops. */
export async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
