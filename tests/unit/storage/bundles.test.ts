import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useFreshDatabase } from './fresh-db';
import { LabbookDB, useDatabase } from '../../../src/lib/storage/db';
import {
  getModelFiles,
  getModelVersion,
  listModels,
  saveModelVersion,
  verifyModelVersion,
} from '../../../src/lib/storage/models';
import {
  bundleExportInput,
  getModelExtras,
  getVersionFacts,
  importModelVersion,
  suggestedModelName,
} from '../../../src/lib/storage/bundles';
import type { RunRecord } from '../../../src/lib/storage/records';
import {
  BundleError,
  README_FILE,
  REFERENCE_STATS_FILE,
  buildBundle,
  readBundle,
  type VerifiedBundle,
  LINEAGE_JSON,
  STANDARD_MODEL_FILES,
  WEIGHTS_BIN,
  sealModelVersion,
  type ModelFileInput,
  headlineMetrics,
  modelFiles,
  type Lineage,
} from '../../../src/lib/core/models';
import { defaultTrainConfig, summarizeEvaluation, type TrainResult } from '../../../src/lib/core/training';
import { Rng } from '../../../src/lib/core/common';
import { runTraining, type TrainHooks } from '../../../src/lib/ml/train';
import { importText } from '../helpers';

const database = useFreshDatabase();

const enc = new TextEncoder();
const dec = new TextDecoder();
const sha256sum = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const cpuHost: TrainHooks['host'] = { activate: async (name) => (name === 'cpu' ? tf.setBackend('cpu') : false), adapter: async () => null };

/** A small separable binary problem. */
function csv(rows: number): string {
  const rng = new Rng(5);
  const lines = ['x1,x2,colour,sick'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2;
    const x2 = rng.next() * 4 - 2;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${['red', 'green', 'blue'][rng.int(3)]},${x1 - x2 > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

interface Trained {
  result: TrainResult;
  run: RunRecord;
  files: ModelFileInput[];
}

async function train(seed: number): Promise<Trained> {
  const ds = await importText(csv(200));
  const config = { ...defaultTrainConfig(ds.hash, 'sick', 'binary', ['x1', 'x2', 'colour']), backend: 'cpu' as const, epochs: 2, model: 'mlp' as const, hiddenUnits: [3], seed };
  const source = { hash: ds.hash, rows: ds.rows, schema: ds.schema, dictBlob: ds.dictBlob, chunks: ds.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const env = () => ({ appVersion: 'test', tfjsVersion: tf.version.tfjs, userAgent: 'vitest', hardwareConcurrency: 1 });
  const runId = `run-${seed}`;
  const out = await runTraining({ runId, config, dataset: source }, { host: cpuHost, environment: env });
  if (out.status !== 'completed') throw new Error(`training failed: ${out.message}`);
  const r = out.result;
  const run: RunRecord = {
    id: runId,
    notebookId: 'nb-1',
    cellId: 'cell-1',
    datasetHash: ds.hash,
    config,
    fingerprint: 'f'.repeat(64),
    status: 'completed',
    statusMessage: null,
    notes: '',
    tags: [],
    reproducesRunId: null,
    createdAt: 1,
    heartbeatAt: 2,
    endedAt: 2,
    durationMs: r.durationMs,
    backend: r.backend,
    environment: r.environment,
    sizes: r.sizes,
    mainMetric: r.mainMetric,
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    stoppedEarly: r.stoppedEarly,
    preprocessing: r.preprocessing,
    target: r.target,
    evaluation: r.evaluation,
    threshold: r.threshold,
    modelVersionId: null,
  };
  const lineage: Lineage = {
    runId,
    datasetHash: ds.hash,
    notebookId: 'nb-1',
    fingerprint: run.fingerprint,
    config,
    appVersion: 'test',
    tfjsVersion: tf.version.tfjs,
    backend: r.backend.used,
  };
  return { result: r, run, files: modelFiles(r, lineage) };
}

async function register(t: Trained, modelName = 'sick') {
  return saveModelVersion({
    run: t.run,
    modelName,
    version: await sealModelVersion(t.files),
    inputSchema: t.result.inputSchema,
    preprocessing: t.result.preprocessing,
    target: t.result.target,
    headline: headlineMetrics(summarizeEvaluation(t.result.evaluation).summary),
  });
}

let first: Trained;
let second: Trained;

beforeAll(async () => {
  await tf.setBackend('cpu');
  first = await train(1);
  second = await train(2);
});

/** Exports a registered version as the app does (storage, then buildBundle in the worker). */
async function exportZip(versionId: string, referenceStats?: Uint8Array): Promise<Uint8Array> {
  const { input } = await bundleExportInput(versionId, { referenceStats });
  return buildBundle(input);
}

/** Runs `body` with the repositories on another empty database (the colleague's browser), then switches back. */
async function inOtherBrowser(body: (other: LabbookDB) => Promise<void>): Promise<void> {
  const other = new LabbookDB(`other-${Math.random()}`);
  useDatabase(other);
  try {
    await other.open();
    await body(other);
  } finally {
    useDatabase(database());
    other.close();
    await other.delete();
  }
}

async function counts(d: LabbookDB) {
  return {
    models: await d.models.count(),
    versions: await d.modelVersions.count(),
    files: await d.modelFiles.count(),
    extras: await d.modelExtras.count(),
    runs: await d.runs.count(),
  };
}

async function bytesOf(blob: Blob): Promise<Buffer> {
  return Buffer.from(await blob.arrayBuffer());
}

describe('model bundle export', () => {
  it('holds the stored files byte for byte, a model card and the registry name, and takes reference statistics', async () => {
    const saved = await register(first, 'heart risk');
    const { input, fileName } = await bundleExportInput(saved.id, { referenceStats: enc.encode('{"columns":[]}') });
    expect(fileName).toBe(`heart_risk-v1-${saved.id.slice(0, 12)}.zip`);
    expect(input.manifestText).toBe(saved.manifestText);
    expect(input.model).toEqual({ name: 'heart risk', version: 1 });
    expect(input.extras.map((e) => e.path)).toEqual([README_FILE, REFERENCE_STATS_FILE]);
    const card = dec.decode(input.extras[0]!.bytes);
    expect(card).toContain('# heart risk, version 1');
    expect(card).toContain(saved.id);
    const b = await readBundle(await buildBundle(input));
    expect(b.versionId).toBe(saved.id);
    const original = new Map(first.files.map((f) => [f.path, f.bytes]));
    for (const f of b.files) expect(Buffer.from(f.bytes).equals(Buffer.from(original.get(f.path)!))).toBe(true);
  });

  it('reads lineage.json and the threshold back for the version page', async () => {
    const saved = await register(first);
    const facts = (await getVersionFacts(saved.id))!;
    expect(facts.lineage).toMatchObject({ runId: 'run-1', datasetHash: first.run.datasetHash, config: { seed: 1, target: 'sick' } });
    expect(facts.threshold).toBe(first.result.evaluation.task === 'binary' ? first.result.evaluation.threshold : null);
    expect(await getVersionFacts('0'.repeat(64))).toBeNull();
  });
});

describe('model bundle import', () => {
  it('gives the same version id and byte-identical files in a fresh browser, which verify; its lineage comes from lineage.json', async () => {
    const saved = await register(first);
    const zip = await exportZip(saved.id, enc.encode('{"columns":[]}'));
    await inOtherBrowser(async (other) => {
      const bundle = await readBundle(zip);
      expect(suggestedModelName(bundle)).toBe('sick');
      const imported = await importModelVersion(bundle, suggestedModelName(bundle), 5_000);
      expect(imported.id).toBe(saved.id);
      expect(imported.id).toBe(sha256sum(imported.manifestText));
      expect(imported).toMatchObject({
        modelName: 'sick',
        version: 1,
        runId: 'run-1',
        datasetHash: first.run.datasetHash,
        notebookId: null,
        task: 'binary',
        source: 'bundle',
        importedAt: 5_000,
        createdAt: 5_000,
        manifestText: saved.manifestText,
      });
      expect(imported.manifest).toEqual(saved.manifest);
      expect(imported.inputSchema).toEqual(saved.inputSchema);
      expect(imported.headline).toEqual(saved.headline);
      expect(await getModelVersion(saved.id)).toEqual(imported);

      const files = await getModelFiles(saved.id);
      expect(files.map((f) => f.path)).toEqual([...STANDARD_MODEL_FILES]);
      const original = new Map(first.files.map((f) => [f.path, f.bytes]));
      for (const f of files) {
        const bytes = await bytesOf(f.blob);
        expect(bytes.equals(Buffer.from(original.get(f.path)!))).toBe(true);
        expect(f.sha256).toBe(sha256sum(bytes));
        expect(f.bytes).toBe(bytes.byteLength);
      }
      expect(await verifyModelVersion(saved.id)).toEqual({ ok: true, problems: [] });

      const extras = await getModelExtras(saved.id);
      expect(extras.map((e) => e.path)).toEqual([README_FILE, REFERENCE_STATS_FILE]);
      expect(extras[1]!.sha256).toBe(sha256sum('{"columns":[]}'));
      expect((await bytesOf(extras[0]!.blob)).toString('utf8')).toContain('# sick, version 1');
      // No run and no dataset came along: they stay in the exporter's browser.
      expect(await counts(other)).toEqual({ models: 1, versions: 1, files: 7, extras: 2, runs: 0 });
      expect((await getVersionFacts(saved.id))!.lineage.config.seed).toBe(1);

      // Exported again under the same name and number, it is the same bundle, reference statistics included.
      expect(sha256sum(await exportZip(saved.id))).toBe(sha256sum(zip));
    });
  });

  it('numbers an import after the versions already registered under that name', async () => {
    const exported = await register(first);
    const zip = await exportZip(exported.id);
    await inOtherBrowser(async () => {
      const local = await register(second);
      const imported = await importModelVersion(await readBundle(zip), 'sick');
      expect([local.version, imported.version]).toEqual([1, 2]);
      const list = await listModels();
      expect(list.map((m) => [m.model.name, m.model.latestVersion, m.versions.map((v) => v.version)])).toEqual([['sick', 2, [2, 1]]]);
    });
  });

  it('refuses a second import of the same files, naming the version it already is, and writes nothing', async () => {
    const saved = await register(first);
    const zip = await exportZip(saved.id);
    await inOtherBrowser(async (other) => {
      await importModelVersion(await readBundle(zip), 'sick');
      const before = await counts(other);
      const models = await other.models.toArray();
      const err = await importModelVersion(await readBundle(zip), 'another name').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BundleError);
      expect((err as BundleError).message).toBe(
        `These exact model files are already registered as version 1 of “sick” (${saved.id.slice(0, 12)}…). Nothing was imported.`,
      );
      expect(await counts(other)).toEqual(before);
      expect(await other.models.toArray()).toEqual(models);
    });
    // In the exporter's own browser too: the version is already there.
    await expect(importModelVersion(await readBundle(zip), 'sick')).rejects.toThrow(/already registered as version 1 of “sick”/);
  });

  it('a refused bundle writes nothing: a tampered file, a bad lineage.json, a bad name', async () => {
    const saved = await register(first);
    const zip = await exportZip(saved.id);
    await inOtherBrowser(async (other) => {
      const empty = await counts(other);
      const good = await readBundle(zip);
      const edit = (path: string, bytes: Uint8Array): VerifiedBundle => ({ ...good, files: good.files.map((f) => (f.path === path ? { path, bytes } : f)) });

      // Lost or resized after reading: refused before the transaction.
      const weights = good.files.find((f) => f.path === WEIGHTS_BIN)!.bytes;
      await expect(importModelVersion(edit(WEIGHTS_BIN, weights.subarray(1)), 'sick')).rejects.toMatchObject({ file: WEIGHTS_BIN });
      // Same size, a document that is not a Labbook lineage.
      const lineageBytes = good.files.find((f) => f.path === LINEAGE_JSON)!.bytes;
      const notLineage = enc.encode(JSON.stringify({ x: 'y'.repeat(lineageBytes.byteLength - 8) }));
      expect(notLineage.byteLength).toBe(lineageBytes.byteLength);
      await expect(importModelVersion(edit(LINEAGE_JSON, notLineage), 'sick')).rejects.toMatchObject({ file: LINEAGE_JSON });
      // A manifest text that is not the one the id hashes.
      await expect(importModelVersion({ ...good, versionId: '0'.repeat(64) }, 'sick')).rejects.toMatchObject({ file: 'manifest.json' });
      await expect(importModelVersion(good, '   ')).rejects.toThrow(/model name/);
      expect(await counts(other)).toEqual(empty);
    });
    expect((await database().modelVersions.toArray()).map((v) => v.id)).toEqual([saved.id]);
  });
});
