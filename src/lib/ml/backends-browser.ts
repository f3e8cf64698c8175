/**
 * The real BackendHost for the train worker: registers the WebGPU and WASM
 * backends next to TF.js's own webgl and cpu, serves the WASM binaries from
 * our build (nothing is fetched from a CDN), and watches the WebGPU device
 * for loss, which TF.js itself does not. `auto`'s choices are kept in the
 * app's settings table (IndexedDB is open to workers too).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { AdapterInfo, BackendName, DeviceInfo } from '../core/training';
import type { BackendHost } from './backends';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// The threaded build's helper workers break in a minified bundle, and were no faster on 2 cores when measured.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

interface GpuLike {
  requestAdapter(): Promise<{ info?: Partial<AdapterInfo> } | null>;
}

let lostMessage: string | null = null;

/** Set when the WebGPU device in use was lost (driver reset, GPU removed); polled by the training loop. */
export function deviceLost(): string | null {
  return lostMessage;
}

function watchDevice(): void {
  const backend = tf.backend() as unknown as { device?: { lost?: Promise<{ message: string; reason?: string }> } };
  void backend.device?.lost?.then((info) => {
    lostMessage = `the WebGPU device was lost (${info.reason ?? 'unknown reason'}${info.message ? `: ${info.message}` : ''})`;
  });
}

/** Forgets a lost WebGPU backend so that a later run gets a fresh device. */
export function resetLostDevice(): void {
  if (lostMessage !== null && tf.findBackend('webgpu')) {
    tf.removeBackend('webgpu');
    lostMessage = null;
  }
}

async function adapterInfo(): Promise<AdapterInfo | null> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
  };
}

// Loaded when first used: the predict worker shares this host and never stores a choice.
const settings = () => import('../storage/settings');

export const browserHost: BackendHost = {
  async activate(name: BackendName) {
    if (name === 'webgpu') {
      const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
      if (!gpu) throw new Error('this browser has no WebGPU (navigator.gpu is missing)');
      if ((await gpu.requestAdapter()) === null) throw new Error('WebGPU found no GPU adapter');
      if (lostMessage !== null) resetLostDevice();
    }
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
    if (name === 'webgpu') watchDevice();
    return true;
  },
  async adapter(name: BackendName) {
    if (name !== 'webgpu') return null;
    return (await adapterInfo()) ?? { vendor: '', architecture: '', device: '', description: '' };
  },
  memory: {
    async device(): Promise<DeviceInfo> {
      const adapter = await adapterInfo().catch(() => null);
      return { userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency ?? 0, adapter };
    },
    recall: async (key) => (await settings()).getSetting<unknown>(key),
    remember: async (key, choice) => (await settings()).setSetting(key, choice),
  },
};
