import { describe, expect, it } from 'vitest';
import {
  BACKEND_CHOICE_MAX_AGE_MS,
  backendChoiceKey,
  cachedReason,
  deviceFingerprint,
  rowBucket,
  stageCount,
  timingEvent,
  usableChoice,
  type BackendShape,
  type DeviceInfo,
} from '../../../../src/lib/core/training';

const device: DeviceInfo = {
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0',
  hardwareConcurrency: 8,
  adapter: { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'RTX 3060' },
};
const shape: BackendShape = { model: 'mlp', head: 'sigmoid', inputs: 12, hidden: [32, 16], outputs: 1, exact: false, rows: 256 };

describe('backendChoiceKey', () => {
  it('is the same for the same device and shape, whatever the object identity', () => {
    expect(backendChoiceKey({ ...device, adapter: { ...device.adapter! } }, { ...shape, hidden: [32, 16] })).toBe(backendChoiceKey(device, shape));
    expect(backendChoiceKey(device, shape)).toMatch(/^backend-choice:v1:[0-9a-f]{8}:mlp-sigmoid:12x32x16x1:batch-256$/);
  });

  it('differs by feature count, hidden layers, outputs, solver and model kind', () => {
    const key = backendChoiceKey(device, shape);
    const others = [
      { ...shape, inputs: 13 },
      { ...shape, hidden: [32] },
      { ...shape, hidden: [16, 32] },
      { ...shape, outputs: 3, head: 'softmax' as const },
      { ...shape, exact: true },
      { ...shape, model: 'linear' as const, hidden: [] },
    ].map((s) => backendChoiceKey(device, s));
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it('buckets the batch rows by power of two', () => {
    expect([1, 2, 3, 200, 256, 257].map(rowBucket)).toEqual([1, 2, 4, 256, 256, 512]);
    expect(backendChoiceKey(device, { ...shape, rows: 200 })).toBe(backendChoiceKey(device, shape));
    expect(backendChoiceKey(device, { ...shape, rows: 300 })).not.toBe(backendChoiceKey(device, shape));
  });

  it('differs by device: browser, cores, GPU adapter or none', () => {
    const fingerprints = [
      device,
      { ...device, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/127.0' },
      { ...device, hardwareConcurrency: 4 },
      { ...device, adapter: { ...device.adapter!, description: 'RTX 4090' } },
      { ...device, adapter: null },
    ].map(deviceFingerprint);
    expect(new Set(fingerprints).size).toBe(5);
    expect(backendChoiceKey({ ...device, adapter: null }, shape)).not.toBe(backendChoiceKey(device, shape));
  });
});

describe('usableChoice', () => {
  const now = 1_700_000_000_000;
  const stored = { used: 'wasm', at: now - 1000, measurements: [{ backend: 'wasm', msPerStep: 2 }, { backend: 'cpu', msPerStep: 5 }] };

  it('accepts a recent, well-formed choice of a backend this run may use', () => {
    expect(usableChoice(stored, now)).toEqual(stored);
  });

  it('rejects what is missing, malformed, too old, from the future or not a candidate', () => {
    expect(usableChoice(undefined, now)).toBeNull();
    expect(usableChoice('wasm', now)).toBeNull();
    expect(usableChoice({ ...stored, used: 'metal' }, now)).toBeNull();
    expect(usableChoice({ ...stored, at: 'yesterday' }, now)).toBeNull();
    expect(usableChoice({ ...stored, at: now - BACKEND_CHOICE_MAX_AGE_MS }, now)).toBeNull();
    expect(usableChoice({ ...stored, at: now + 60_000 }, now)).toBeNull();
    expect(usableChoice(stored, now, ['webgl', 'cpu'])).toBeNull();
  });

  it('drops malformed measurements but keeps the choice', () => {
    expect(usableChoice({ ...stored, measurements: [null, { backend: 'wasm', msPerStep: 2 }] }, now)?.measurements).toEqual([{ backend: 'wasm', msPerStep: 2 }]);
    expect(usableChoice({ used: 'cpu', at: now }, now)?.measurements).toEqual([]);
  });
});

describe('cachedReason', () => {
  it('says the choice comes from an earlier timing, with what it measured', () => {
    const reason = cachedReason({
      used: 'wasm',
      at: 0,
      measurements: [
        { backend: 'webgpu', msPerStep: null, error: 'no adapter' },
        { backend: 'webgl', msPerStep: 4 },
        { backend: 'wasm', msPerStep: 2.5 },
        { backend: 'cpu', msPerStep: 3 },
      ],
    });
    expect(reason).toBe('auto: wasm, chosen from an earlier timing of this model shape on this device at 2.50 ms per step (against cpu 3.00, webgl 4.00)');
    expect(cachedReason({ used: 'cpu', at: 0, measurements: [] })).toBe('auto: cpu, chosen from an earlier timing of this model shape on this device');
  });
});

describe('timing events', () => {
  it('count the backends already timed, k of n, and plain stages carry no count', () => {
    const e = timingEvent('wasm', 2, 4);
    expect(e.message).toBe('Timing wasm 3/4…');
    expect(stageCount(e)).toEqual({ done: 2, total: 4 });
    expect(stageCount({ type: 'stage', stage: 'training', message: 'Training on wasm…' })).toBeNull();
    expect(stageCount({ type: 'notice', message: 'x' })).toBeNull();
  });
});
