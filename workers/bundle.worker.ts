/**
 * Bundle worker: builds a model bundle .zip and reads (verifies) one, off the
 * main thread: deflating, inflating and hashing every file. Thin: the work is
 * buildBundle and readBundle in src/lib/core. Its own worker, so it carries
 * fflate and hash-wasm only, and never waits behind a training run.
 */
import * as Comlink from 'comlink';
import {
  BundleError,
  buildBundle,
  type BuildBundleInput,
  readBundle,
  type VerifiedBundle,
} from '../src/lib/core/models';
import { sha256Hex } from '../src/lib/core/common';

/** A refusal as a value: a BundleError's `file` would not survive the worker boundary as a thrown error. */
export interface BundleFailure {
  ok: false;
  /** The bundle entry at fault; null when it is the zip (or the export) as a whole. */
  file: string | null;
  message: string;
}

export type ExportOutcome = { ok: true; zip: Uint8Array; sha256: string } | BundleFailure;
export type ReadOutcome = { ok: true; bundle: VerifiedBundle } | BundleFailure;

function failure(err: unknown): BundleFailure {
  if (err instanceof BundleError) return { ok: false, file: err.file, message: err.message };
  return { ok: false, file: null, message: err instanceof Error ? err.message : String(err) };
}

/** Each distinct buffer once: a buffer listed twice makes postMessage throw. */
function buffersOf(arrays: readonly Uint8Array[]): ArrayBuffer[] {
  return [...new Set(arrays.map((a) => a.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

const api = {
  /** buildBundle, and the SHA-256 of the .zip (what `sha256sum` prints for the downloaded file). */
  async exportBundle(input: BuildBundleInput): Promise<ExportOutcome> {
    try {
      const zip = await buildBundle(input);
      const sha256 = await sha256Hex(zip);
      return Comlink.transfer({ ok: true as const, zip, sha256 }, buffersOf([zip]));
    } catch (err) {
      return failure(err);
    }
  },

  /** readBundle on a dropped or chosen file. */
  async readBundleFile(file: Blob): Promise<ReadOutcome> {
    try {
      const bundle = await readBundle(new Uint8Array(await file.arrayBuffer()));
      return Comlink.transfer({ ok: true as const, bundle }, buffersOf([...bundle.files, ...bundle.extras].map((f) => f.bytes)));
    } catch (err) {
      return failure(err);
    }
  },
};

Comlink.expose(api);
export type BundleApi = typeof api;
