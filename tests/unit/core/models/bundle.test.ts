import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import {
  BUNDLE_FILE,
  BundleError,
  MANIFEST_FILE,
  README_FILE,
  REFERENCE_STATS_FILE,
  buildBundle,
  entryNameProblem,
  type BuildBundleInput,
  readBundle,
  escapeMarkdown,
  modelCard,
  type ModelCardInput,
  MODEL_JSON,
  PREPROCESSING_JSON,
  STANDARD_MODEL_FILES,
  WEIGHTS_BIN,
  buildManifest,
  canonicalJson,
  type ModelFileInput,
  modelFiles,
  type Lineage,
} from '../../../../src/lib/core/models';
import { defaultTrainConfig, summarizeEvaluation, type TrainResult } from '../../../../src/lib/core/training';
import { Rng } from '../../../../src/lib/core/common';
import { runTraining, type TrainHooks } from '../../../../src/lib/ml/train';
import { loadFromFiles } from '../../../../src/lib/ml/io';
import { importText } from '../../helpers';

const enc = new TextEncoder();
const dec = new TextDecoder();
const sha256sum = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const cpuHost: TrainHooks['host'] = { activate: async (name) => (name === 'cpu' ? tf.setBackend('cpu') : false), adapter: async () => null };

/** A separable binary problem with a categorical column whose values need escaping in the card. */
function csv(rows: number): string {
  const rng = new Rng(3);
  const lines = ['x1,x2,colour | tint,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2;
    const x2 = rng.next() * 4 - 2;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${['red', '*blue*', '<b>'][rng.int(3)]},${x1 + 2 * x2 > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

interface Fixture {
  result: TrainResult;
  lineage: Lineage;
  files: ModelFileInput[];
  manifestText: string;
  versionId: string;
  input: BuildBundleInput;
  zip: Uint8Array;
}
let fx: Fixture;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const ds = await importText(csv(240));
  const config = { ...defaultTrainConfig(ds.hash, 'label', 'binary', ['x1', 'x2', 'colour | tint']), backend: 'cpu' as const, autoBudget: false, epochs: 3, model: 'mlp' as const, hiddenUnits: [4] };
  const source = { hash: ds.hash, rows: ds.rows, schema: ds.schema, dictBlob: ds.dictBlob, chunks: ds.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const env = () => ({ appVersion: 'test', tfjsVersion: tf.version.tfjs, userAgent: 'vitest', hardwareConcurrency: 1 });
  const out = await runTraining({ runId: 'run-1', config, dataset: source }, { host: cpuHost, environment: env });
  if (out.status !== 'completed') throw new Error(`training failed: ${out.message}`);
  const result = out.result;
  const lineage: Lineage = { runId: 'run-1', datasetHash: ds.hash, notebookId: null, fingerprint: 'fp', config, appVersion: 'test', tfjsVersion: tf.version.tfjs, backend: 'cpu' };
  const files = modelFiles(result, lineage);
  const built = await buildManifest(files);
  const card = modelCard({
    modelName: 'Churn <model> | v*',
    version: 3,
    versionId: built.id,
    lineage,
    target: result.target,
    inputSchema: result.inputSchema,
    preprocessing: result.preprocessing,
    evaluation: summarizeEvaluation(result.evaluation).summary,
    manifest: built.manifest,
  });
  const extras = [
    { path: README_FILE, bytes: enc.encode(card) },
    { path: REFERENCE_STATS_FILE, bytes: enc.encode('{"columns":[]}') },
  ];
  const input: BuildBundleInput = { files, manifestText: built.text, extras, model: { name: 'Churn <model> | v*', version: 3 } };
  fx = { result, lineage, files, manifestText: built.text, versionId: built.id, input, zip: await buildBundle(input) };
});

type Entries = Record<string, Uint8Array>;

function entriesOf(zip: Uint8Array): Entries {
  return { ...unzipSync(zip) };
}

function rezip(entries: Entries): Uint8Array {
  const z = Object.create(null) as Zippable;
  for (const [k, v] of Object.entries(entries)) z[k] = v;
  return zipSync(z, { mtime: new Date(2000, 0, 1) });
}

/** Re-hashes the manifest and bundle.json's version id after a change, so only the deeper checks can catch it. */
async function rehash(entries: Entries): Promise<Entries> {
  const files = STANDARD_MODEL_FILES.filter((p) => entries[p]).map((p) => ({ path: p, bytes: entries[p]! }));
  const built = await buildManifest(files);
  const index = JSON.parse(dec.decode(entries[BUNDLE_FILE]!)) as Record<string, unknown>;
  return { ...entries, [MANIFEST_FILE]: enc.encode(built.text), [BUNDLE_FILE]: enc.encode(canonicalJson({ ...index, versionId: built.id })) };
}

function editJson(entries: Entries, path: string, edit: (v: Record<string, unknown>) => void): Entries {
  const value = JSON.parse(dec.decode(entries[path]!)) as Record<string, unknown>;
  edit(value);
  return { ...entries, [path]: enc.encode(JSON.stringify(value)) };
}

/** Renames an entry in place, in both its local header and the central directory (for names fflate's zipSync cannot write). */
function renameEntry(zip: Uint8Array, from: string, to: string): Uint8Array {
  const [a, b] = [enc.encode(from), enc.encode(to)];
  expect(b.length).toBe(a.length);
  const out = zip.slice();
  let hits = 0;
  for (let i = 0; i + a.length <= out.length; i++) {
    if (a.every((x, j) => out[i + j] === x)) {
      out.set(b, i);
      hits++;
    }
  }
  expect(hits).toBe(2);
  return out;
}

/** Sets the uncompressed size an entry declares in the central directory (what a zip bomb lies about). */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let eocd = out.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  let at = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    const n = view.getUint16(at + 28, true);
    if (dec.decode(out.subarray(at + 46, at + 46 + n)) === name) {
      view.setUint32(at + 24, size, true);
      return out;
    }
    at += 46 + n + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  throw new Error(`no entry ${name}`);
}

async function refusal(zip: Uint8Array, limits = {}): Promise<BundleError> {
  try {
    await readBundle(zip, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(BundleError);
    expect((err as BundleError).message).toMatch(/Nothing was imported\.$/);
    return err as BundleError;
  }
  throw new Error('the bundle was accepted');
}

async function expectRefused(zip: Uint8Array, file: string | null, message: RegExp, limits = {}): Promise<void> {
  const err = await refusal(zip, limits);
  expect(err.message).toMatch(message);
  expect(err.file).toBe(file);
}

describe('bundle round trip', () => {
  it('reads back the same files and the same version id as buildManifest gives, checkable with sha256sum', async () => {
    const b = await readBundle(fx.zip);
    expect(b.versionId).toBe(fx.versionId);
    expect(b.versionId).toBe(sha256sum(entriesOf(fx.zip)[MANIFEST_FILE]!));
    expect(b.manifestText).toBe(fx.manifestText);
    expect((await buildManifest(b.files)).id).toBe(fx.versionId);
    const byPath = new Map(fx.files.map((f) => [f.path, f.bytes]));
    expect(b.files.map((f) => f.path)).toEqual([...STANDARD_MODEL_FILES]);
    for (const f of b.files) expect(Buffer.from(f.bytes).equals(Buffer.from(byPath.get(f.path)!))).toBe(true);
    expect(b.extras.map((e) => e.path)).toEqual([README_FILE, REFERENCE_STATS_FILE]);
    expect(dec.decode(b.extras[0]!.bytes)).toContain('Churn');
    expect(b.model).toEqual({ name: 'Churn <model> | v*', version: 3 });
    expect(b.modelJson.weightsManifest[0].weights.map((w) => w.name)).toEqual(['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias']);
  });

  it('is deterministic: the same version gives the same bytes, whatever the order files are given in; re-export of an import too', async () => {
    const again = await buildBundle({ ...fx.input, files: [...fx.input.files].reverse(), extras: [...fx.input.extras].reverse() });
    expect(sha256sum(again)).toBe(sha256sum(fx.zip));
    const b = await readBundle(fx.zip);
    const reexport = await buildBundle({ files: b.files, manifestText: b.manifestText, extras: b.extras, model: b.model });
    expect(sha256sum(reexport)).toBe(sha256sum(fx.zip));
  });

  it('the imported model predicts exactly what the original does, loaded as the model card says (tf.io.fromMemory)', async () => {
    const b = await readBundle(fx.zip);
    const json = JSON.parse(dec.decode(b.files.find((f) => f.path === MODEL_JSON)!.bytes));
    const bin = b.files.find((f) => f.path === WEIGHTS_BIN)!.bytes;
    const imported = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.slice().buffer }),
    );
    const original = await loadFromFiles(fx.result.artifacts);
    const width = fx.result.preprocessing.featureNames.length;
    const x = tf.tensor2d(Array.from({ length: 5 * width }, (_, i) => Math.sin(i)), [5, width]);
    const [p, q] = [imported.predict(x) as tf.Tensor, original.predict(x) as tf.Tensor];
    expect(Array.from(await p.data())).toEqual(Array.from(await q.data()));
    tf.dispose([x, p, q]);
    imported.dispose();
    original.dispose();
  });

  it('export refuses files that no longer match the manifest, naming the file', async () => {
    const files = fx.files.map((f) => (f.path === WEIGHTS_BIN ? { path: f.path, bytes: f.bytes.map((v, i) => (i === 0 ? v ^ 1 : v)) } : f));
    await expect(buildBundle({ ...fx.input, files })).rejects.toMatchObject({ name: 'BundleError', file: WEIGHTS_BIN });
    await expect(buildBundle({ ...fx.input, extras: [{ path: '../x', bytes: new Uint8Array(1) }] })).rejects.toMatchObject({ file: '../x' });
    await expect(buildBundle({ ...fx.input, extras: [{ path: MODEL_JSON, bytes: new Uint8Array(1) }] })).rejects.toMatchObject({ file: MODEL_JSON });
  });
});

describe('a tampered bundle is refused, naming the file', () => {
  const flip = (bytes: Uint8Array, at: number) => bytes.map((v, i) => (i === at ? v ^ 0x01 : v));

  it('a changed byte in weights.bin, model.json or preprocessing.json', async () => {
    for (const path of [WEIGHTS_BIN, MODEL_JSON, PREPROCESSING_JSON]) {
      const e = entriesOf(fx.zip);
      e[path] = flip(e[path]!, Math.floor(e[path]!.length / 2));
      const msg = new RegExp(`^${path.replace('.', '\\.')} does not match its SHA-256 in manifest\\.json: the bundle was changed after export\\. Nothing was imported\\.$`);
      await expectRefused(rezip(e), path, msg);
    }
  });

  it('a changed manifest.json: its hash is no longer the version id in bundle.json', async () => {
    const e = editJson(entriesOf(fx.zip), MANIFEST_FILE, (m) => {
      (m.files as { sha256: string }[])[6]!.sha256 = '0'.repeat(64);
    });
    e[MANIFEST_FILE] = enc.encode(canonicalJson(JSON.parse(dec.decode(e[MANIFEST_FILE]!))));
    await expectRefused(rezip(e), MANIFEST_FILE, /manifest\.json does not match the version id in bundle\.json/);
  });

  it('a manifest that is not canonical would hash to another id', async () => {
    const e = entriesOf(fx.zip);
    e[MANIFEST_FILE] = enc.encode(JSON.stringify(JSON.parse(fx.manifestText), null, 2));
    await expectRefused(rezip(await rehashIndexOnly(e)), MANIFEST_FILE, /not in the canonical form/);
  });

  it('a manifest listing a file no Labbook version has, or leaving a standard one out, hashes made to match', async () => {
    const e = entriesOf(fx.zip);
    const withExtra = await buildManifest([...fx.files, { path: 'run.sh', bytes: enc.encode('rm -rf /') }]);
    const extra = await rehashIndexOnly({ ...e, 'run.sh': enc.encode('rm -rf /'), [MANIFEST_FILE]: enc.encode(withExtra.text) });
    await expectRefused(rezip(extra), MANIFEST_FILE, /lists run\.sh, which is not a file of a Labbook model version/);
    const without = await buildManifest(fx.files.filter((f) => f.path !== 'target.json'));
    const short = entriesOf(fx.zip);
    delete short['target.json'];
    short[MANIFEST_FILE] = enc.encode(without.text);
    await expectRefused(rezip(await rehashIndexOnly(short)), MANIFEST_FILE, /does not list target\.json, which every Labbook model version has/);
  });

  it('a missing file and an extra unexpected file', async () => {
    const missing = entriesOf(fx.zip);
    delete missing['target.json'];
    await expectRefused(rezip(missing), 'target.json', /target\.json is listed in manifest\.json but missing/);
    const extra = { ...entriesOf(fx.zip), 'evil.js': enc.encode('alert(1)') };
    await expectRefused(rezip(extra), 'evil.js', /holds evil\.js, which neither manifest\.json nor bundle\.json lists/);
    const readme = entriesOf(fx.zip);
    readme[README_FILE] = enc.encode('# another card');
    await expectRefused(rezip(readme), README_FILE, /README\.md is \d+ bytes but bundle\.json says \d+/);
  });

  it('unsafe entry names: ../x, /abs, a\\b, __proto__, a folder entry, a duplicate', async () => {
    const cases: [string, RegExp][] = [
      ['../x', /"\.\.\/x" has a "\." or "\.\." path segment/],
      ['/abs', /"\/abs" is an absolute path/],
      ['a\\b', /has a backslash/],
      ['__proto__', /uses the reserved name "__proto__"/],
      ['dir/', /empty path segment/],
      ['a b', /characters other than/],
    ];
    for (const [name, msg] of cases) {
      const placeholder = 'Q'.repeat(enc.encode(name).length);
      const zip = renameEntry(rezip({ ...entriesOf(fx.zip), [placeholder]: new Uint8Array([1]) }), placeholder, name);
      await expectRefused(zip, name, msg);
    }
    const dup = renameEntry(rezip({ ...entriesOf(fx.zip), 'model.jsoQ': new Uint8Array([1]) }), 'model.jsoQ', MODEL_JSON);
    await expectRefused(dup, MODEL_JSON, /two entries named model\.json/);
  });

  it('too many entries, refused from the directory alone', async () => {
    const e = entriesOf(fx.zip);
    for (let i = 0; i < 70; i++) e[`e${i}.txt`] = new Uint8Array([i]);
    await expectRefused(rezip(e), null, /more than 64 entries/);
    await expectRefused(fx.zip, null, /more than 5 entries/, { maxEntries: 5 });
  });

  it('zip bombs: a declared size over the cap, a total over the cap, a ratio no real file has', async () => {
    await expectRefused(declareSize(fx.zip, WEIGHTS_BIN, 300_000_000), WEIGHTS_BIN, /would unpack to 300000000 bytes, over the limit of 200000000 bytes per file/);
    const total = await refusal(fx.zip, { maxTotalBytes: 3000 });
    expect(total.message).toMatch(new RegExp(`would unpack to more than 3000 bytes \\(at ${total.file!.replace('.', '\\.')}\\)`));
    expect(STANDARD_MODEL_FILES).toContain(total.file);
    const zeros = await buildBundle({ ...fx.input, extras: [{ path: 'zeros.bin', bytes: new Uint8Array(2 * 1024 * 1024) }] });
    await expectRefused(zeros, 'zeros.bin', /compressed more than 100 times/);
    await expectRefused(declareSize(fx.zip, MANIFEST_FILE, fx.manifestText.length + 5), MANIFEST_FILE, /unpacked to \d+ bytes, not the \d+ its zip entry declares/);
    await expectRefused(fx.zip, null, /over the 1000-byte limit/, { maxZipBytes: 1000 });
  });

  it('a layer class not on the allow-list, even with every hash made to match', async () => {
    const e = editJson(entriesOf(fx.zip), MODEL_JSON, (m) => {
      const layers = (m.modelTopology as { config: { layers: unknown[] } }).config.layers;
      layers.push({ class_name: 'Lambda', config: { name: 'evil', function: 'fetch("https://x")' } });
    });
    await expectRefused(rezip(await rehash(e)), MODEL_JSON, /model\.json has a layer of class "Lambda"; only Dense and InputLayer layers are allowed/);
    const init = editJson(entriesOf(fx.zip), MODEL_JSON, (m) => {
      const layers = (m.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
      layers[0]!.config.kernel_initializer = { class_name: 'MyCustomInit', config: {} };
    });
    await expectRefused(rezip(await rehash(init)), MODEL_JSON, /class "MyCustomInit" inside layer "dense_1"/);
    const root = editJson(entriesOf(fx.zip), MODEL_JSON, (m) => {
      (m.modelTopology as { class_name: string }).class_name = 'MyModel';
    });
    await expectRefused(rezip(await rehash(root)), MODEL_JSON, /model class "MyModel"/);
  });

  it('weight byte counts that do not match the declared shapes, even with every hash made to match', async () => {
    const shape = editJson(entriesOf(fx.zip), MODEL_JSON, (m) => {
      (m.weightsManifest as { weights: { shape: number[] }[] }[])[0]!.weights[1]!.shape = [3];
    });
    await expectRefused(rezip(await rehash(shape)), MODEL_JSON, /declares weights of \d+ bytes in all, but weights\.bin has \d+/);
    const short = entriesOf(fx.zip);
    short[WEIGHTS_BIN] = short[WEIGHTS_BIN]!.slice(0, -4);
    await expectRefused(rezip(await rehash(short)), MODEL_JSON, /need \d+ bytes, but weights\.bin has \d+: the shapes do not match/);
    const dtype = editJson(entriesOf(fx.zip), MODEL_JSON, (m) => {
      (m.weightsManifest as { weights: { dtype: string }[] }[])[0]!.weights[0]!.dtype = 'string';
    });
    await expectRefused(rezip(await rehash(dtype)), MODEL_JSON, /dtype "string"/);
  });

  it('malformed JSON, and JSON with a __proto__ key, named', async () => {
    const bad = { ...entriesOf(fx.zip), [PREPROCESSING_JSON]: enc.encode('{"version":1,') };
    await expectRefused(rezip(await rehash(bad)), PREPROCESSING_JSON, /^preprocessing\.json is not valid JSON/);
    const model = { ...entriesOf(fx.zip), [MODEL_JSON]: enc.encode('not json') };
    await expectRefused(rezip(await rehash(model)), MODEL_JSON, /^model\.json is not valid JSON/);
    const proto = { ...entriesOf(fx.zip), 'target.json': enc.encode('{"task":"regression","mean":0,"std":1,"__proto__":{"x":1}}') };
    await expectRefused(rezip(await rehash(proto)), 'target.json', /"__proto__" key/);
    const index = { ...entriesOf(fx.zip), [BUNDLE_FILE]: enc.encode('{') };
    await expectRefused(rezip(index), BUNDLE_FILE, /bundle\.json is not valid JSON/);
  });

  it('not a zip at all, an empty zip, a bundle from a newer Labbook', async () => {
    await expectRefused(enc.encode('x1,x2,label\n1,2,yes\n'), null, /not a zip archive/);
    await expectRefused(new Uint8Array(0), null, /not a zip archive/);
    await expectRefused(new Uint8Array(5000).map((_, i) => (i * 7919) % 251), null, /not a zip archive/);
    await expectRefused(zipSync({}), null, /zip is empty/);
    const newer = editJson(entriesOf(fx.zip), BUNDLE_FILE, (b) => {
      b.formatVersion = 2;
    });
    await expectRefused(rezip(newer), BUNDLE_FILE, /format version 2; this Labbook reads version 1\. Update Labbook/);
    const noIndex = entriesOf(fx.zip);
    delete noIndex[BUNDLE_FILE];
    await expectRefused(rezip(noIndex), BUNDLE_FILE, /has no bundle\.json/);
  });
});

/** Points bundle.json at whatever manifest.json now hashes to (the manifest itself left as it is). */
async function rehashIndexOnly(entries: Entries): Promise<Entries> {
  const index = JSON.parse(dec.decode(entries[BUNDLE_FILE]!)) as Record<string, unknown>;
  return { ...entries, [BUNDLE_FILE]: enc.encode(canonicalJson({ ...index, versionId: sha256sum(entries[MANIFEST_FILE]!) })) };
}

describe('entry names', () => {
  it('accepts the names a bundle uses and refuses the rest', () => {
    for (const ok of [MODEL_JSON, README_FILE, REFERENCE_STATS_FILE, 'stats/ref-1.json']) expect(entryNameProblem(ok)).toBeNull();
    for (const bad of ['', '../x', 'a/../b', '/abs', 'C:/x', 'a\\b', '__proto__', 'a/constructor', 'prototype', 'a//b', 'dir/', './x', 'a\u0000b', 'x'.repeat(200)]) {
      expect(entryNameProblem(bad)).not.toBeNull();
    }
  });
});

describe('model card', () => {
  const cardOf = (patch: Partial<ModelCardInput> = {}) =>
    modelCard({
      modelName: 'Churn',
      version: 1,
      versionId: fx.versionId,
      lineage: fx.lineage,
      target: fx.result.target,
      inputSchema: fx.result.inputSchema,
      preprocessing: fx.result.preprocessing,
      evaluation: summarizeEvaluation(fx.result.evaluation).summary,
      manifest: JSON.parse(fx.manifestText),
      ...patch,
    });

  it('says what it predicts, from which data, how well, and how to load it in a page and in Node', () => {
    const card = cardOf();
    expect(card).toMatch(/^# Churn, version 1\n/);
    expect(card).toContain(fx.versionId);
    expect(card).toContain(fx.lineage.datasetHash);
    expect(card).toContain('Binary classification of label. Classes (index: label): 0: no, 1: yes.');
    expect(card).toMatch(/Predict class 1 when it is at least 0\.5/);
    expect(card).toMatch(/\| ROC AUC \| 0\.\d+ \|/);
    expect(card).toContain("tf.loadLayersModel('./model/model.json')");
    expect(card).toContain("import * as tf from '@tensorflow/tfjs-node';");
    expect(card).toContain('tf.io.fromMemory');
    expect(card).toContain(`${fx.result.preprocessing.featureNames.length} columns`);
    expect(card).toContain(`| weights.bin | ${fx.result.artifacts.weights.byteLength} |`);
    expect(cardOf()).toBe(card);
  });

  it('escapes user text so names cannot add markup or break a table', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)\\>');
    expect(escapeMarkdown('a | *b* _c_ [d](e) `f` $g$')).toBe('a \\| \\*b\\* \\_c\\_ \\[d\\](e) \\`f\\` \\$g\\$');
    expect(escapeMarkdown('- x')).toBe('\\- x');
    expect(escapeMarkdown('1. x')).toBe('1\\. x');
    expect(escapeMarkdown('4.22.0 -1 #1')).toBe('4.22.0 -1 #1');
    expect(escapeMarkdown('> quote')).toBe('\\> quote');
    expect(escapeMarkdown('# x\nline two')).toBe('\\# x line two');
    const card = cardOf({ modelName: 'Churn <script>alert(1)</script>' });
    expect(card).not.toContain('<script>alert');
    const row = card.split('\n').find((l) => l.startsWith('| colour'))!;
    // Three columns: the escaped "|" in the name and in no category splits the row.
    expect(row.split(/(?<!\\)\|/).length).toBe(5);
    expect(row).toContain('colour \\| tint');
    expect(row).toContain('\\*blue\\*');
    expect(row).toContain('\\<b\\>');
  });
});
