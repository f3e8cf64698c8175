/** Random identifiers for records whose identity is not a content hash. */

/** A 128-bit random id as a UUID string (crypto.randomUUID where available). */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}
