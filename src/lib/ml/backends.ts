/**
 * Choosing the TF.js backend of a run. `auto` times a few real training
 * steps of the run's own model on each backend that starts and keeps the
 * fastest, and remembers that choice per device and model shape (when the
 * host has a memory), so later runs of the shape skip the timing; a named
 * backend that cannot start falls back down the list webgpu → webgl → wasm → cpu. Every decision is written into the run's
 * BackendReport, so a user can see why a run used what it used.
 *
 * The TF.js calls are passed in (`BackendHost`), so this logic is tested in
 * Node with fakes and runs in the worker with the real thing.
 */
import {
  BACKEND_NAMES,
  backendChoiceKey,
  cachedReason,
  formatStepMs,
  usableChoice,
  type AdapterInfo,
  type BackendChoice,
  type BackendMeasurement,
  type BackendName,
  type BackendReport,
  type BackendShape,
  type CachedBackendChoice,
  type DeviceInfo,
} from '../core/training';

export interface BackendHost {
  /** Makes `name` the active backend; rejects (or returns false) when it cannot start. */
  activate(name: BackendName): Promise<boolean>;
  /** Adapter details once webgpu is active; null elsewhere. */
  adapter(name: BackendName): Promise<AdapterInfo | null>;
  /** Where `auto` keeps its choices between runs; without one, every `auto` run times the backends. */
  memory?: BackendMemory;
}

export interface BackendMemory {
  device(): Promise<DeviceInfo>;
  recall(key: string): Promise<unknown>;
  remember(key: string, choice: CachedBackendChoice): Promise<void>;
}

export interface ChooseOptions {
  /** The shape of the model's step: with a host memory, `auto` reuses an earlier choice for it. */
  shape?: BackendShape;
  /** Called as each backend's timing starts: `index` (from 0) of `total`. */
  onTiming?: (backend: BackendName, index: number, total: number) => void;
  now?: () => number;
}

/** The backends to try after `name` fails, in order. */
export function fallbacksAfter(name: BackendName): BackendName[] {
  return BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(name) + 1);
}

async function tryActivate(host: BackendHost, name: BackendName): Promise<string | null> {
  try {
    return (await host.activate(name)) ? null : `${name} could not start on this browser`;
  } catch (err) {
    return `${name} could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The store's key for this device and shape, or null when the device cannot be described (then nothing is stored). */
async function deviceKey(memory: BackendMemory, shape: BackendShape): Promise<string | null> {
  try {
    return backendChoiceKey(await memory.device(), shape);
  } catch {
    return null;
  }
}

const fmt = formatStepMs;

/**
 * Activates the backend for a run and reports why.
 * @param measure milliseconds per training step on the active backend (called for `auto` only)
 * @throws Error when no backend at all can start (cpu always can in practice)
 */
export async function chooseBackend(
  host: BackendHost,
  requested: BackendChoice,
  measure: (name: BackendName) => Promise<number>,
  candidates: readonly BackendName[] = BACKEND_NAMES,
  options: ChooseOptions = {},
): Promise<BackendReport> {
  const fallbacks: string[] = [];
  if (requested !== 'auto') {
    for (const name of [requested, ...fallbacksAfter(requested)]) {
      const error = await tryActivate(host, name);
      if (error === null) {
        const reason = name === requested ? `${name}, as chosen` : `${requested} was chosen but could not start; fell back to ${name}`;
        return { requested, used: name, reason, adapter: await host.adapter(name), measurements: [], fallbacks };
      }
      fallbacks.push(`${error}; trying ${fallbacksAfter(name)[0] ?? 'nothing else'}`);
    }
    throw new Error(`No TF.js backend could start: ${fallbacks.join('. ')}`);
  }
  const now = options.now ?? Date.now;
  const memory = options.shape ? host.memory : undefined;
  const key = memory && options.shape ? await deviceKey(memory, options.shape) : null;
  if (memory && key !== null) {
    // The store is a shortcut only: if it cannot be read, time as if it were empty.
    const cached = usableChoice(await memory.recall(key).catch(() => undefined), now(), candidates);
    if (cached) {
      const error = await tryActivate(host, cached.used);
      if (error === null) {
        return { requested, used: cached.used, reason: cachedReason(cached), adapter: await host.adapter(cached.used), measurements: cached.measurements, fallbacks };
      }
      fallbacks.push(`An earlier timing chose ${cached.used}, but ${error}; timing the backends again`);
    }
  }
  const measurements: BackendMeasurement[] = [];
  for (const [index, name] of candidates.entries()) {
    options.onTiming?.(name, index, candidates.length);
    const error = await tryActivate(host, name);
    if (error !== null) {
      measurements.push({ backend: name, msPerStep: null, error });
      continue;
    }
    try {
      measurements.push({ backend: name, msPerStep: await measure(name) });
    } catch (err) {
      measurements.push({ backend: name, msPerStep: null, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const timed = measurements.filter((m): m is BackendMeasurement & { msPerStep: number } => m.msPerStep !== null);
  if (timed.length === 0) throw new Error(`No TF.js backend could train: ${measurements.map((m) => m.error).join('; ')}`);
  timed.sort((a, b) => a.msPerStep - b.msPerStep);
  const best = timed[0]!;
  const error = await tryActivate(host, best.backend);
  if (error !== null) throw new Error(`auto chose ${best.backend}, but it then failed to start again: ${error}`);
  const others = timed.slice(1).map((m) => `${m.backend} ${fmt(m.msPerStep)}`);
  const failed = measurements.filter((m) => m.msPerStep === null).map((m) => `${m.backend} unavailable`);
  const reason =
    `auto: ${best.backend} was fastest at ${fmt(best.msPerStep)} ms per step` +
    (others.length > 0 ? ` (against ${others.join(', ')})` : '') +
    (failed.length > 0 ? `; ${failed.join(', ')}` : '');
  if (memory && key !== null) await memory.remember(key, { used: best.backend, measurements, at: now() }).catch(() => undefined);
  return { requested, used: best.backend, reason, adapter: await host.adapter(best.backend), measurements, fallbacks };
}
