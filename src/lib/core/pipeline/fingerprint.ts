/**
 * A cell's fingerprint: SHA-256 of a canonical JSON (keys sorted at every
 * depth, no whitespace) of its kind, its cleaned config, its inputs and the
 * fingerprints of the upstream cells they come from. It changes exactly when
 * something the cell computes from changes: not on a volatile field (a result
 * id, a view choice) or the order keys were written in. The cell id is not
 * part of it (a copied cell has the same fingerprint).
 */
import { sha256Hex } from '../common';
import type { Cell } from '../notebook';
import { canonicalJson } from '../prepare';
import { cellInputs, type PipelineContext } from './cell-inputs';

/** The format tag and version inside every fingerprinted text (a new version changes every fingerprint, deliberately). */
export const CELL_FINGERPRINT_FORMAT = 'labbook-cell';
export const CELL_FINGERPRINT_VERSION = 1;

/** Thrown when an upstream cell's fingerprint was not given (compute them in notebook order). */
export class MissingUpstreamError extends Error {
  constructor(
    readonly cellId: string,
    readonly upstreamId: string,
  ) {
    super(`Cell ${cellId} reads cell ${upstreamId}, whose fingerprint is not known yet.`);
    this.name = 'MissingUpstreamError';
  }
}

/** The canonical text cellFingerprint hashes. */
export function cellCanonicalText(cell: Cell, upstreamFingerprints: ReadonlyMap<string, string>, context: PipelineContext): string {
  const ci = cellInputs(cell, context);
  const inputs = ci.inputs.map((input) => {
    let upstream: string | null = null;
    if (input.fromCell !== null) {
      const fp = upstreamFingerprints.get(input.fromCell);
      if (fp === undefined) throw new MissingUpstreamError(cell.id, input.fromCell);
      upstream = fp;
    }
    // Inputs keep their order (a join's order is part of the recipe too).
    return { slot: input.slot, kind: input.kind, value: input.value, upstream };
  });
  return canonicalJson({
    format: CELL_FINGERPRINT_FORMAT,
    version: CELL_FINGERPRINT_VERSION,
    kind: cell.kind,
    config: ci.config,
    inputs,
  });
}

/** SHA-256 (lower-case hex) of cellCanonicalText. */
export async function cellFingerprint(cell: Cell, upstreamFingerprints: ReadonlyMap<string, string>, context: PipelineContext): Promise<string> {
  return sha256Hex(new TextEncoder().encode(cellCanonicalText(cell, upstreamFingerprints, context)));
}

/** Every cell's fingerprint, computed in notebook order (each cell's upstream cells come before it). */
export async function notebookFingerprints(context: PipelineContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const cell of context.cells) out.set(cell.id, await cellFingerprint(cell, out, context));
  return out;
}
