/** Shared helpers for unit tests: run the real importer on in-memory text or bytes. */
import { importCsv } from '../../src/lib/core/csv';
import type { ImportOptions, ImportResult } from '../../src/lib/core/common';

export function bytesSource(name: string, bytes: Uint8Array, chunkSize = 64 * 1024) {
  return {
    name,
    size: bytes.byteLength,
    stream: async function* () {
      for (let i = 0; i < bytes.byteLength; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    },
  };
}

export function importText(text: string, name = 'data.csv', opts: ImportOptions = {}): Promise<ImportResult> {
  return importCsv(bytesSource(name, new TextEncoder().encode(text)), opts, {});
}
