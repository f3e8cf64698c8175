/**
 * The browser every e2e test and benchmark uses: Debian's Chromium (nothing
 * may download a browser here) with the flags that make WebGPU work headless.
 */
import { existsSync } from 'node:fs';

/**
 * `--enable-unsafe-webgpu` is what gives `navigator.gpu.requestAdapter()` an
 * adapter headless; `--use-webgpu-adapter=swiftshader` pins it to SwiftShader
 * so results don't depend on the machine having a GPU. The rest keep Chromium
 * from reaching for a network this machine doesn't have.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** CHROMIUM_PATH, else the first Debian Chromium found, else the default path. */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return CANDIDATES.find((p) => existsSync(p)) ?? CANDIDATES[0];
}
