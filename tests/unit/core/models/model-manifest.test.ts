import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MODEL_JSON,
  STANDARD_MODEL_FILES,
  WEIGHTS_BIN,
  buildManifest,
  canonicalJson,
  verifyFiles,
  runFingerprint,
} from '../../../../src/lib/core/models';
import { defaultTrainConfig, type TrainConfig } from '../../../../src/lib/core/training';

const enc = new TextEncoder();
const sha256sum = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

function modelFiles() {
  return [
    { path: WEIGHTS_BIN, bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
    { path: MODEL_JSON, bytes: enc.encode('{"format":"layers-model"}') },
    { path: 'target.json', bytes: enc.encode('{"task":"classification"}') },
  ];
}

describe('canonicalJson', () => {
  it('gives the same text whatever the key order, at every depth', () => {
    const a = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('keeps array order and sorts keys by UTF-16 code units, not locale', () => {
    expect(canonicalJson([2, 1])).toBe('[2,1]');
    expect(canonicalJson({ b: 0, B: 0, a: 0, é: 0 })).toBe('{"B":0,"a":0,"b":0,"é":0}');
  });

  it('round-trips through JSON.parse', () => {
    const value = { s: 'line\n"quoted"', n: -1.5e-7, list: [[], {}], t: false };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('refuses values JSON would silently drop or change, naming where they are', () => {
    expect(() => canonicalJson({ config: { lr: undefined } })).toThrow('$.config.lr');
    expect(() => canonicalJson({ loss: [0.5, NaN] })).toThrow('$.loss[1]');
    expect(() => canonicalJson({ x: Infinity })).toThrow('$.x');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('$.f is a function');
    expect(() => canonicalJson({ when: new Date(0) })).toThrow('$.when is a Date');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('$.self');
  });
});

describe('model manifest', () => {
  it('lists every file sorted by path with the SHA-256 sha256sum would print', async () => {
    const { manifest } = await buildManifest(modelFiles());
    expect(manifest.format).toBe('labbook-model/1');
    expect(manifest.files.map((f) => f.path)).toEqual(['model.json', 'target.json', 'weights.bin']);
    const weights = manifest.files.find((f) => f.path === WEIGHTS_BIN)!;
    expect(weights.sha256).toBe(sha256sum(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])));
    expect(weights.bytes).toBe(8);
    expect([...STANDARD_MODEL_FILES].sort()).toEqual([...STANDARD_MODEL_FILES]);
  });

  it('has a stable id that is the SHA-256 of its canonical text, whatever the input order', async () => {
    const a = await buildManifest(modelFiles());
    const b = await buildManifest([...modelFiles()].reverse());
    expect(b.id).toBe(a.id);
    expect(b.text).toBe(a.text);
    expect(a.id).toBe(sha256sum(a.text));
    expect(a.text).toBe(canonicalJson(a.manifest));
    expect(a.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('one changed byte changes that file’s hash and the version id', async () => {
    const a = await buildManifest(modelFiles());
    const files = modelFiles();
    files[0]!.bytes[7] = 9;
    const b = await buildManifest(files);
    expect(b.id).not.toBe(a.id);
    const hash = (m: typeof a, p: string) => m.manifest.files.find((f) => f.path === p)!.sha256;
    expect(hash(b, WEIGHTS_BIN)).not.toBe(hash(a, WEIGHTS_BIN));
    expect(hash(b, MODEL_JSON)).toBe(hash(a, MODEL_JSON));
  });

  it('refuses an empty file list and a path given twice', async () => {
    await expect(buildManifest([])).rejects.toThrow(/at least one file/);
    await expect(buildManifest([...modelFiles(), { path: MODEL_JSON, bytes: new Uint8Array() }])).rejects.toThrow(
      'model.json is given twice',
    );
  });

  it('verifies untouched files', async () => {
    const { manifest } = await buildManifest(modelFiles());
    expect(await verifyFiles(manifest, modelFiles())).toEqual({ ok: true, problems: [] });
  });

  it('names a tampered, a missing and an extra file', async () => {
    const { manifest } = await buildManifest(modelFiles());
    const files = modelFiles().filter((f) => f.path !== 'target.json');
    files.find((f) => f.path === WEIGHTS_BIN)!.bytes[0] = 99;
    files.push({ path: 'notes.txt', bytes: enc.encode('hi') });
    const result = await verifyFiles(manifest, files);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(3);
    const tamperedHash = sha256sum(files.find((f) => f.path === WEIGHTS_BIN)!.bytes);
    const listedHash = manifest.files.find((f) => f.path === WEIGHTS_BIN)!.sha256;
    expect(result.problems).toContain(`weights.bin: SHA-256 is ${tamperedHash.slice(0, 12)}…, manifest says ${listedHash.slice(0, 12)}….`);
    expect(result.problems.some((p) => p.startsWith('target.json: missing'))).toBe(true);
    expect(result.problems.some((p) => p.startsWith('notes.txt: extra'))).toBe(true);
  });

  it('names a file whose size differs', async () => {
    const { manifest } = await buildManifest(modelFiles());
    const files = modelFiles().map((f) => (f.path === WEIGHTS_BIN ? { ...f, bytes: f.bytes.subarray(0, 4) } : f));
    expect((await verifyFiles(manifest, files)).problems).toEqual(['weights.bin: 4 bytes, manifest says 8.']);
  });
});

describe('run fingerprint', () => {
  const hash = 'a'.repeat(64);
  const config = (): TrainConfig => defaultTrainConfig(hash, 'sick', 'binary', ['age', 'bmi']);

  it('is the same for the same dataset, config and app version, whatever the key order', async () => {
    const a = await runFingerprint(hash, config(), '0.1.0');
    const reordered = Object.fromEntries(Object.entries(config()).reverse()) as unknown as TrainConfig;
    expect(await runFingerprint(hash, reordered, '0.1.0')).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(sha256sum(canonicalJson({ datasetHash: hash, config: config(), seed: 42, appVersion: '0.1.0' })));
  });

  it('changes when any config field, the dataset or the app version changes', async () => {
    const base = await runFingerprint(hash, config(), '0.1.0');
    const seen = new Set([base]);
    const variants: Partial<TrainConfig>[] = [
      { seed: 43 },
      { learningRate: 0.02 },
      { hiddenUnits: [64, 32] },
      { features: ['bmi', 'age'] },
      { earlyStopping: false },
      { backend: 'cpu' },
    ];
    for (const patch of variants) seen.add(await runFingerprint(hash, { ...config(), ...patch }, '0.1.0'));
    seen.add(await runFingerprint('b'.repeat(64), config(), '0.1.0'));
    seen.add(await runFingerprint(hash, config(), '0.2.0'));
    expect(seen.size).toBe(variants.length + 3);
  });
});
