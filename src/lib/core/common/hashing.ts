/**
 * SHA-256 for dataset and model identity. WebCrypto's digest cannot hash
 * incrementally, and a file is read as a stream, so this wraps hash-wasm's
 * streaming SHA-256 (WebAssembly; the same bytes give the same hex digest as
 * `sha256sum`).
 */
import { createSHA256 } from 'hash-wasm';

/** An incremental SHA-256. `digestHex()` ends it; `reset()` starts the next input on the same instance. */
export interface Sha256 {
  update(bytes: Uint8Array): void;
  /** Lower-case hex digest of everything passed to update(). */
  digestHex(): string;
  /** Starts over, for the next input (cheaper than a new instance when hashing many small entries). */
  reset(): void;
}

/** Starts an incremental SHA-256 (async because the WebAssembly module loads on first use). */
export async function createSha256(): Promise<Sha256> {
  const hasher = await createSHA256();
  hasher.init();
  return {
    update(bytes: Uint8Array): void {
      hasher.update(bytes);
    },
    digestHex(): string {
      return hasher.digest('hex');
    },
    reset(): void {
      hasher.init();
    },
  };
}

/** SHA-256 of `bytes` as lower-case hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const h = await createSha256();
  h.update(bytes);
  return h.digestHex();
}

