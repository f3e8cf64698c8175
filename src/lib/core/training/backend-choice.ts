/**
 * Remembering what `auto` measured. Timing every backend takes seconds, and
 * its answer depends only on the device and on the shape of the model's
 * step, so a choice is kept per (device, model shape) and reused by later
 * runs of that shape. Pure: the train worker reads and writes the store.
 */
import { BACKEND_NAMES, type AdapterInfo, type BackendMeasurement, type BackendName, type TrainEvent } from './training';
import type { ModelKind } from './train-config';

/** What the train worker can see of the machine it runs on. */
export interface DeviceInfo {
  userAgent: string;
  hardwareConcurrency: number;
  /** The WebGPU adapter, when the browser has one. */
  adapter: AdapterInfo | null;
}

/** What decides how fast one training step is on each backend. */
export interface BackendShape {
  model: ModelKind;
  head: 'sigmoid' | 'softmax' | 'linear';
  inputs: number;
  hidden: readonly number[];
  outputs: number;
  /** The full-batch solver (large matrix products) rather than mini-batches. */
  exact: boolean;
  /** Rows in the timed batch. */
  rows: number;
}

/** A stored choice of `auto`, with the timings it came from. */
export interface CachedBackendChoice {
  used: BackendName;
  measurements: BackendMeasurement[];
  /** When it was measured (ms since the epoch). */
  at: number;
}

/** Choices older than this are timed again: drivers and browsers change under an unchanged fingerprint. */
export const BACKEND_CHOICE_MAX_AGE_MS = 30 * 24 * 3600_000;

const KEY_PREFIX = 'backend-choice:v1:';

/** Rows rounded up to a power of two: nearby batch sizes run at about the same speed per step. */
export function rowBucket(rows: number): number {
  let b = 1;
  while (b < rows) b *= 2;
  return b;
}

/** FNV-1a, 32 bits: a short, stable name for a long device description (not a secret). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function deviceFingerprint(device: DeviceInfo): string {
  const a = device.adapter;
  const parts = [device.userAgent, String(device.hardwareConcurrency), a ? [a.vendor, a.architecture, a.device, a.description].join('/') : 'no-gpu'];
  return fnv1a(parts.join('|'));
}

/** The settings key of a choice: the device, then the model shape, readable for debugging. */
export function backendChoiceKey(device: DeviceInfo, shape: BackendShape): string {
  const layers = [shape.inputs, ...shape.hidden, shape.outputs].join('x');
  const mode = shape.exact ? 'exact' : 'batch';
  return `${KEY_PREFIX}${deviceFingerprint(device)}:${shape.model}-${shape.head}:${layers}:${mode}-${rowBucket(shape.rows)}`;
}

const isBackend = (v: unknown): v is BackendName => typeof v === 'string' && (BACKEND_NAMES as readonly string[]).includes(v);

/**
 * A stored value as a choice still worth using, or null (missing, malformed,
 * too old, or a backend this run may not use): null means time again.
 */
export function usableChoice(value: unknown, now: number, candidates: readonly BackendName[] = BACKEND_NAMES): CachedBackendChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<CachedBackendChoice>;
  if (!isBackend(v.used) || !candidates.includes(v.used)) return null;
  if (typeof v.at !== 'number' || !(now - v.at < BACKEND_CHOICE_MAX_AGE_MS) || v.at > now) return null;
  const measurements = Array.isArray(v.measurements) ? v.measurements.filter((m) => isBackend(m?.backend)) : [];
  return { used: v.used, measurements, at: v.at };
}

/** Milliseconds per step for the screen, with about three significant digits. */
export const formatStepMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** The report's sentence for a choice taken from the store, so the user knows why nothing was timed. */
export function cachedReason(choice: CachedBackendChoice): string {
  const own = choice.measurements.find((m) => m.backend === choice.used)?.msPerStep;
  const others = choice.measurements
    .filter((m): m is BackendMeasurement & { msPerStep: number } => m.backend !== choice.used && m.msPerStep !== null)
    .sort((a, b) => a.msPerStep - b.msPerStep)
    .map((m) => `${m.backend} ${formatStepMs(m.msPerStep)}`);
  const timing = own != null ? ` at ${formatStepMs(own)} ms per step` + (others.length > 0 ? ` (against ${others.join(', ')})` : '') : '';
  return `auto: ${choice.used}, chosen from an earlier timing of this model shape on this device${timing}`;
}

/** How far the timing of the backends has got: `done` of `total` backends are timed. */
export interface TimingCount {
  done: number;
  total: number;
}

/** A stage event that also counts its steps (the backend timing), for the progress bar. */
export type CountedStageEvent = Extract<TrainEvent, { type: 'stage' }> & { count: TimingCount };

/** The event announcing that backend `index` (from 0) of `total` is being timed; the bar counts those already timed. */
export function timingEvent(backend: BackendName, index: number, total: number): CountedStageEvent {
  return { type: 'stage', stage: 'choosing-backend', message: `Timing ${backend} ${index + 1}/${total}…`, count: { done: index, total } };
}

/** The count an event carries, when it is a counted stage. */
export function stageCount(e: TrainEvent): TimingCount | null {
  return e.type === 'stage' ? (e.count ?? null) : null;
}
