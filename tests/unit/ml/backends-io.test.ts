import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type BackendHost } from '../../../src/lib/ml/backends';
import { Network, priorBias } from '../../../src/lib/ml/model';
import { loadFromFiles, saveToFiles } from '../../../src/lib/ml/io';
import type { BackendName } from '../../../src/lib/core/training';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function fakeHost(working: BackendName[]): BackendHost & { active: BackendName | null } {
  const host = {
    active: null as BackendName | null,
    async activate(name: BackendName) {
      if (name === 'webgpu' && !working.includes(name)) throw new Error('WebGPU found no GPU adapter');
      if (!working.includes(name)) return false;
      host.active = name;
      return true;
    },
    async adapter(name: BackendName) {
      return name === 'webgpu' ? { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader' } : null;
    },
  };
  return host;
}

describe('chooseBackend', () => {
  it('auto times every backend that starts and keeps the fastest, with the reason', async () => {
    const host = fakeHost(['webgpu', 'webgl', 'wasm', 'cpu']);
    const speed: Record<BackendName, number> = { webgpu: 9, webgl: 4, wasm: 2.5, cpu: 6 };
    const report = await chooseBackend(host, 'auto', async (b) => speed[b]);
    expect(report.used).toBe('wasm');
    expect(host.active).toBe('wasm');
    expect(report.measurements.map((m) => m.msPerStep)).toEqual([9, 4, 2.5, 6]);
    expect(report.reason).toBe('auto: wasm was fastest at 2.50 ms per step (against webgl 4.00, cpu 6.00, webgpu 9.00)');
    expect(report.adapter).toBeNull();
  });

  it('auto skips a backend that cannot start and says so', async () => {
    const report = await chooseBackend(fakeHost(['webgl', 'cpu']), 'auto', async (b) => (b === 'cpu' ? 3 : 5));
    expect(report.used).toBe('cpu');
    expect(report.measurements.find((m) => m.backend === 'webgpu')?.error).toMatch(/no GPU adapter/);
    expect(report.reason).toMatch(/webgpu unavailable, wasm unavailable/);
  });

  it('a chosen backend that cannot start falls back down the list and records why', async () => {
    const report = await chooseBackend(fakeHost(['wasm', 'cpu']), 'webgpu', async () => 1);
    expect(report.used).toBe('wasm');
    expect(report.fallbacks).toEqual([
      'webgpu could not start: WebGPU found no GPU adapter; trying webgl',
      'webgl could not start on this browser; trying wasm',
    ]);
    expect(report.reason).toBe('webgpu was chosen but could not start; fell back to wasm');
  });

  it('records the adapter when webgpu is used', async () => {
    const report = await chooseBackend(fakeHost(['webgpu', 'cpu']), 'webgpu', async () => 1);
    expect(report.adapter?.description).toBe('SwiftShader');
    expect(report.fallbacks).toEqual([]);
  });
});

describe('saving and loading a model through our IO handler', () => {
  it('round-trips topology and weights: the loaded model predicts what the network does', async () => {
    const net = new Network({ inputs: 3, outputs: 3, head: 'softmax', hidden: [5], activation: 'tanh', dropout: 0.5, l2: 0 }, 11);
    const files = await saveToFiles(net.model);
    const json = JSON.parse(files.modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      'dense_1/kernel',
      'dense_1/bias',
      'dense_2/kernel',
      'dense_2/bias',
    ]);
    expect(files.weights.byteLength).toBe((3 * 5 + 5 + 5 * 3 + 3) * 4);
    const loaded = await loadFromFiles(files);
    const x = tf.tensor2d([0.1, -2, 3, 1, 1, 1], [2, 3]);
    const ours = tf.tidy(() => net.head(net.logits(x)));
    const theirs = loaded.predict(x) as tf.Tensor;
    const [a, b] = [await ours.data(), await theirs.data()];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 6));
    expect(a[0]! + a[1]! + a[2]!).toBeCloseTo(1, 5);
    tf.dispose([x, ours, theirs]);
    loaded.dispose();
    net.dispose();
  });

  it('seeded initial weights: same seed same weights, another seed other weights', async () => {
    const spec = { inputs: 4, outputs: 1, head: 'sigmoid' as const, hidden: [3], activation: 'relu' as const, dropout: 0, l2: 0 };
    const [a, b, c] = [new Network(spec, 1), new Network(spec, 1), new Network(spec, 2)];
    const w = async (n: Network) => Array.from(await n.kernels[0]!.data());
    expect(await w(a)).toEqual(await w(b));
    expect(await w(a)).not.toEqual(await w(c));
    // He-uniform before ReLU: every weight within sqrt(6 / fanIn).
    expect(Math.max(...(await w(a)).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 4));
    [a, b, c].forEach((n) => n.dispose());
  });

  it('a model.json that is not a layers model is refused with a clear message', async () => {
    await expect(loadFromFiles({ modelJson: '{"hello":1}', weights: new ArrayBuffer(0) })).rejects.toThrow(/not a TF.js layers model/);
    await expect(loadFromFiles({ modelJson: 'nope', weights: new ArrayBuffer(0) })).rejects.toThrow(/not valid JSON/);
  });
});

describe('starting weights of the output layer', () => {
  it('a linear model starts at zero weights with the class prior as bias, so its first guess is the base rate', async () => {
    expect(priorBias('sigmoid', [90, 10])[0]).toBeCloseTo(Math.log(10 / 90), 12);
    expect(priorBias('softmax', [1, 1, 2])).toEqual([Math.log(0.25), Math.log(0.25), Math.log(0.5)]);
    expect(priorBias('linear', [])).toEqual([]);
    const net = new Network({ inputs: 3, outputs: 1, head: 'sigmoid', hidden: [], activation: 'relu', dropout: 0, l2: 0, outputBias: priorBias('sigmoid', [90, 10]) }, 1);
    const p = tf.tidy(() => net.head(net.logits(tf.tensor2d([5, -3, 2], [1, 3]))));
    expect((await p.data())[0]).toBeCloseTo(0.1, 6);
    p.dispose();
    net.dispose();
  });
});
