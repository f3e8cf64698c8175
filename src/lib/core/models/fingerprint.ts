/**
 * A run's fingerprint: what it would take to reproduce it. Two runs with the
 * same fingerprint trained the same dataset version with the same config and
 * seed on the same app version, so (on the same backend) they should give the
 * same numbers.
 */
import { sha256Hex } from '../common';
import { canonicalJson, utf8 } from './model-manifest';
import type { TrainConfig } from '../training';

/**
 * SHA-256 (hex) of canonicalJson({ datasetHash, config, seed, appVersion }),
 * plus the parent run when the run continued another's training (its start
 * weights are then part of what it takes to reproduce it).
 * Key order in `config` does not matter; any change of a value does.
 */
export async function runFingerprint(datasetHash: string, config: TrainConfig, appVersion: string, parentRunId: string | null = null): Promise<string> {
  return sha256Hex(utf8(canonicalJson({ datasetHash, config, seed: config.seed, appVersion, ...(parentRunId ? { parentRunId } : {}) })));
}
