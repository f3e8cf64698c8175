/** One small Labbook export, written out by hand, used by the writer and round-trip tests. */
import type { MlflowExportInput } from '../../../../src/lib/core/mlflow';

export const RUN_A = '0123456789abcdef0123456789abcdef';
export const RUN_B = 'fedcba9876543210fedcba9876543210';
const enc = new TextEncoder();

export function exportInput(): MlflowExportInput {
  return {
    experiment: { id: '1', name: 'Iris notebook', createdAt: 1700000000000 },
    runs: [
      {
        id: RUN_A,
        name: 'mlp-64',
        experimentId: '1',
        status: 'FINISHED',
        startTime: 1700000001000,
        endTime: 1700000009000,
        params: { learning_rate: '0.01', 'optimizer/name': 'adam', epochs: '3' },
        tags: { 'labbook.dataset': 'iris v2' },
        note: 'Baseline: 64 units',
        metrics: [
          { key: 'loss', value: 1.25, step: 0, timestamp: 1700000002000 },
          { key: 'loss', value: 0.5, step: 1, timestamp: 1700000003000 },
          { key: 'loss', value: 0.25, step: 2, timestamp: 1700000004000 },
          { key: 'val/loss', value: 1e-5, step: 2, timestamp: 1700000004000 },
          { key: 'test_accuracy', value: 1, step: 0, timestamp: 1700000009000 },
        ],
        artifacts: [
          { path: 'model/model.json', bytes: enc.encode('{"format":"layers-model"}') },
          { path: 'model/weights.bin', bytes: new Uint8Array([0, 1, 2, 255]) },
        ],
      },
      {
        id: RUN_B,
        name: 'mlp-128',
        experimentId: '1',
        status: 'KILLED',
        startTime: 1700000010000,
        endTime: null,
        params: {},
        tags: {},
        metrics: [{ key: 'loss', value: NaN, step: 0, timestamp: 1700000011000 }],
        artifacts: [],
      },
    ],
    registeredModels: [
      {
        name: 'iris-classifier',
        createdAt: 1700000020000,
        updatedAt: 1700000030000,
        description: 'Predicts the species',
        aliases: { champion: 1 },
        versions: [{ version: 1, createdAt: 1700000021000, runId: RUN_A, source: 'model', status: 'READY' }],
      },
    ],
  };
}
