import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type BackendHost, type BackendMemory } from '../../../src/lib/ml/backends';
import { runTraining } from '../../../src/lib/ml/train';
import {
  defaultTrainConfig,
  stageCount,
  type BackendName,
  type BackendShape,
  type CachedBackendChoice,
  type DatasetSource,
  type TrainEvent,
} from '../../../src/lib/core/training';
import { Rng } from '../../../src/lib/core/common';
import { importText } from '../helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const device = { userAgent: 'vitest', hardwareConcurrency: 2, adapter: null };
const shape: BackendShape = { model: 'mlp', head: 'sigmoid', inputs: 4, hidden: [8], outputs: 1, exact: false, rows: 64 };

/** A settings table in a Map, with the calls it got. */
function memory(): BackendMemory & { store: Map<string, unknown>; writes: number } {
  const m = {
    store: new Map<string, unknown>(),
    writes: 0,
    device: async () => device,
    recall: async (key: string) => m.store.get(key),
    remember: async (key: string, choice: CachedBackendChoice) => {
      m.writes++;
      m.store.set(key, structuredClone(choice));
    },
  };
  return m;
}

/** A host on which `working` backends start; `activate` is real on cpu so runs can train. */
function host(working: BackendName[], mem: BackendMemory | undefined): BackendHost & { activations: BackendName[] } {
  const h = {
    activations: [] as BackendName[],
    async activate(name: BackendName) {
      h.activations.push(name);
      if (!working.includes(name)) return false;
      return name === 'cpu' ? tf.setBackend('cpu') : true;
    },
    adapter: async () => null,
    ...(mem ? { memory: mem } : {}),
  };
  return h;
}

const speed: Record<BackendName, number> = { webgpu: 9, webgl: 4, wasm: 2.5, cpu: 6 };

describe('chooseBackend with a memory', () => {
  it('times once per shape, then reuses the choice without calling measure', async () => {
    const mem = memory();
    let calls = 0;
    const measure = async (b: BackendName) => (calls++, speed[b]);
    const first = await chooseBackend(host(['webgpu', 'webgl', 'wasm', 'cpu'], mem), 'auto', measure, undefined, { shape, now: () => 1000 });
    expect(first.used).toBe('wasm');
    expect(calls).toBe(4);
    expect(mem.writes).toBe(1);

    const h = host(['webgpu', 'webgl', 'wasm', 'cpu'], mem);
    const second = await chooseBackend(h, 'auto', measure, undefined, { shape, now: () => 2000 });
    expect(calls).toBe(4);
    expect(h.activations).toEqual(['wasm']);
    expect(second.used).toBe('wasm');
    expect(second.reason).toBe('auto: wasm, chosen from an earlier timing of this model shape on this device at 2.50 ms per step (against webgl 4.00, cpu 6.00, webgpu 9.00)');
    expect(second.measurements).toEqual(first.measurements);
    expect(second.fallbacks).toEqual([]);
    expect(mem.writes).toBe(1);

    // Another shape is timed again.
    await chooseBackend(host(['webgpu', 'webgl', 'wasm', 'cpu'], mem), 'auto', measure, undefined, { shape: { ...shape, inputs: 5 }, now: () => 3000 });
    expect(calls).toBe(8);
  });

  it('times again when the remembered backend no longer starts, says so, and remembers the new choice', async () => {
    const mem = memory();
    let calls = 0;
    const measure = async (b: BackendName) => (calls++, speed[b]);
    await chooseBackend(host(['webgl', 'wasm', 'cpu'], mem), 'auto', measure, undefined, { shape, now: () => 1000 });
    expect(calls).toBe(3);
    const report = await chooseBackend(host(['webgl', 'cpu'], mem), 'auto', measure, undefined, { shape, now: () => 2000 });
    expect(calls).toBe(5);
    expect(report.used).toBe('webgl');
    expect(report.reason).toMatch(/^auto: webgl was fastest/);
    expect(report.fallbacks).toEqual(['An earlier timing chose wasm, but wasm could not start on this browser; timing the backends again']);
    expect([...mem.store.values()].map((v) => (v as CachedBackendChoice).used)).toEqual(['webgl']);
  });

  it('reports each backend as its timing starts, k of n', async () => {
    const seen: string[] = [];
    await chooseBackend(host(['wasm', 'cpu'], memory()), 'auto', async (b) => speed[b], undefined, {
      shape,
      onTiming: (b, i, n) => seen.push(`${b} ${i}/${n}`),
    });
    expect(seen).toEqual(['webgpu 0/4', 'webgl 1/4', 'wasm 2/4', 'cpu 3/4']);
  });

  it('times as before when the store fails, and without a shape or a memory never touches it', async () => {
    const broken: BackendMemory = {
      device: async () => device,
      recall: async () => Promise.reject(new Error('storage gone')),
      remember: async () => Promise.reject(new Error('storage gone')),
    };
    const report = await chooseBackend(host(['cpu'], broken), 'auto', async () => 1, undefined, { shape });
    expect(report.used).toBe('cpu');
    const mem = memory();
    await chooseBackend(host(['cpu'], mem), 'auto', async () => 1);
    await chooseBackend(host(['cpu'], mem), 'cpu', async () => 1, undefined, { shape });
    expect(mem.writes).toBe(0);
  });
});

async function source(): Promise<DatasetSource> {
  const rng = new Rng(3);
  const lines = ['a,b,y'];
  for (let i = 0; i < 200; i++) {
    const a = rng.next() * 2 - 1;
    const b = rng.next() * 2 - 1;
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${a + b > 0 ? 'yes' : 'no'}`);
  }
  const r = await importText(lines.join('\n'));
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

describe('runTraining with backend auto', () => {
  it('times the backends on the first run of a shape, with counted stages, and not on the second', async () => {
    const ds = await source();
    const config = { ...defaultTrainConfig(ds.hash, 'y', 'binary', ['a', 'b']), solver: 'minibatch', autoBudget: false, epochs: 2, batchSize: 32, backend: 'auto' } as const;
    const mem = memory();
    const env = () => ({ appVersion: 'test', tfjsVersion: tf.version.tfjs, userAgent: 'vitest', hardwareConcurrency: 1 });
    const run = async () => {
      const events: TrainEvent[] = [];
      const out = await runTraining({ runId: 'r', config, dataset: ds }, { host: host(['cpu'], mem), environment: env, onEvent: (e) => events.push(e) });
      if (out.status !== 'completed') throw new Error(out.status === 'failed' ? out.message : 'cancelled');
      return { out: out.result, counts: events.map(stageCount).filter((c) => c !== null), messages: events.flatMap((e) => (e.type === 'stage' ? [e.message] : [])) };
    };
    const first = await run();
    expect(first.counts).toEqual([0, 1, 2, 3].map((done) => ({ done, total: 4 })));
    expect(first.messages).toContain('Timing cpu 4/4…');
    expect(first.out.backend.used).toBe('cpu');
    expect(first.out.backend.reason).toMatch(/^auto: cpu was fastest/);
    expect(mem.writes).toBe(1);

    const second = await run();
    expect(second.counts).toEqual([]);
    expect(second.out.backend.used).toBe('cpu');
    expect(second.out.backend.reason).toMatch(/^auto: cpu, chosen from an earlier timing of this model shape on this device/);
    expect(mem.writes).toBe(1);
  }, 60_000);
});
