/**
 * A model version's identity: a manifest listing the SHA-256 and size of
 * every file, written as canonical JSON, whose own SHA-256 is the version id.
 * The same files always give the same id, and changing one byte of any file
 * changes it, so a user can check a bundle with `sha256sum`.
 */
import { sha256Hex } from '../common';

/** The manifest format this app writes and reads. */
export const MANIFEST_FORMAT = 'labbook-model/1';

/** TF.js topology and weights manifest (layers-model format). */
export const MODEL_JSON = 'model.json';
/** TF.js weights, pointed at by model.json. */
export const WEIGHTS_BIN = 'weights.bin';
/** The fitted feature preprocessing (PreprocessSpec). */
export const PREPROCESSING_JSON = 'preprocessing.json';
/** The fitted target encoding (TargetSpec). */
export const TARGET_JSON = 'target.json';
/** The input columns the model needs (InputSchemaColumn[]). */
export const SCHEMA_JSON = 'schema.json';
/** Test-split metrics and per-epoch history. */
export const METRICS_JSON = 'metrics.json';
/** Where the model came from: run, dataset version, config, environment. */
export const LINEAGE_JSON = 'lineage.json';

/** Every standard file of a model version, in manifest (path) order. */
export const STANDARD_MODEL_FILES: readonly string[] = [
  LINEAGE_JSON,
  METRICS_JSON,
  MODEL_JSON,
  PREPROCESSING_JSON,
  SCHEMA_JSON,
  TARGET_JSON,
  WEIGHTS_BIN,
];

export interface ManifestFile {
  path: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  bytes: number;
}

export interface ModelManifest {
  format: typeof MANIFEST_FORMAT;
  /** Sorted by path (UTF-16 code units, as canonicalJson sorts keys). */
  files: ManifestFile[];
}

/** A file of a model version, in memory. */
export interface ModelFileInput {
  path: string;
  bytes: Uint8Array;
}

export interface BuiltManifest {
  manifest: ModelManifest;
  /** canonicalJson(manifest): the exact text that was hashed. */
  text: string;
  /** SHA-256 of the UTF-8 text, hex: the model version id. */
  id: string;
}

export interface VerifyResult {
  ok: boolean;
  /** One sentence per problem, each naming the file. */
  problems: string[];
}

/** Compares strings by UTF-16 code units (not locale), so the order is the same everywhere. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function write(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${path} is ${String(value)}, which JSON cannot hold.`);
      return JSON.stringify(value);
    case 'undefined':
      throw new Error(`canonicalJson: ${path} is undefined; use null or leave the key out.`);
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new Error(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold.`);
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) throw new Error(`canonicalJson: ${path} refers back to itself.`);
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    const parts: string[] = [];
    for (let i = 0; i < obj.length; i++) parts.push(write(obj[i], `${path}[${i}]`, seen));
    out = `[${parts.join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new Error(`canonicalJson: ${path} is a ${kind}; only plain objects, arrays and primitives are allowed.`);
    }
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareCodeUnits);
    out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], childPath(path, k), seen)}`).join(',')}}`;
  }
  seen.delete(obj);
  return out;
}

/**
 * JSON with object keys sorted recursively by UTF-16 code units, no
 * whitespace and arrays in order, so equal values always give equal text
 * (and equal hashes). Throws, naming the path (e.g. `$.config.lr`), on
 * undefined, functions, non-finite numbers, cycles and non-plain objects.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function short(hex: string): string {
  return `${hex.slice(0, 12)}…`;
}

/**
 * Hashes every file and builds the manifest, its canonical text and the
 * version id (SHA-256 of the text). Throws on an empty list, an empty path
 * or a path given twice.
 */
export async function buildManifest(files: readonly ModelFileInput[]): Promise<BuiltManifest> {
  if (files.length === 0) throw new Error('A model version needs at least one file.');
  const seen = new Set<string>();
  for (const f of files) {
    if (f.path === '') throw new Error('A model file needs a path.');
    if (seen.has(f.path)) throw new Error(`The file ${f.path} is given twice.`);
    seen.add(f.path);
  }
  const sorted = [...files].sort((a, b) => compareCodeUnits(a.path, b.path));
  const entries: ManifestFile[] = [];
  for (const f of sorted) entries.push({ path: f.path, sha256: await sha256Hex(f.bytes), bytes: f.bytes.byteLength });
  const manifest: ModelManifest = { format: MANIFEST_FORMAT, files: entries };
  const text = canonicalJson(manifest);
  return { manifest, text, id: await sha256Hex(utf8(text)) };
}

/**
 * Checks files against a manifest. Each problem names the file: missing
 * (listed but not given), extra (given but not listed), wrong size, or wrong
 * SHA-256, e.g. "weights.bin: SHA-256 is 3f2a…, manifest says 9b1c…".
 */
export async function verifyFiles(manifest: ModelManifest, files: readonly ModelFileInput[]): Promise<VerifyResult> {
  const problems: string[] = [];
  if (manifest.format !== MANIFEST_FORMAT) {
    problems.push(`The manifest's format is ${JSON.stringify(manifest.format)}, not ${MANIFEST_FORMAT}.`);
  }
  const given = new Map<string, Uint8Array>();
  for (const f of files) {
    if (given.has(f.path)) problems.push(`${f.path}: given twice.`);
    else given.set(f.path, f.bytes);
  }
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const bytes = given.get(entry.path);
    if (!bytes) {
      problems.push(`${entry.path}: missing (the manifest lists it).`);
      continue;
    }
    if (bytes.byteLength !== entry.bytes) {
      problems.push(`${entry.path}: ${bytes.byteLength} bytes, manifest says ${entry.bytes}.`);
      continue;
    }
    const actual = await sha256Hex(bytes);
    if (actual !== entry.sha256) problems.push(`${entry.path}: SHA-256 is ${short(actual)}, manifest says ${short(entry.sha256)}.`);
  }
  for (const path of given.keys()) {
    if (!listed.has(path)) problems.push(`${path}: extra file, not in the manifest.`);
  }
  return { ok: problems.length === 0, problems };
}

/** A file of a sealed model version: its bytes and their SHA-256 (as its manifest entry says). */
export interface SealedFile {
  path: string;
  bytes: Uint8Array;
  sha256: string;
}

/**
 * A finished model version: its files, manifest, canonical manifest text and
 * id, all computed where the model was trained (the train worker), so the
 * page only checks and stores it.
 */
export interface SealedModelVersion extends BuiltManifest {
  /** In manifest (path) order. */
  files: SealedFile[];
}

/** Hashes `files` and seals them as one model version (see buildManifest for what it refuses). */
export async function sealModelVersion(files: readonly ModelFileInput[]): Promise<SealedModelVersion> {
  const built = await buildManifest(files);
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  return { ...built, files: built.manifest.files.map((e) => ({ path: e.path, bytes: byPath.get(e.path)!, sha256: e.sha256 })) };
}

/**
 * Checks a sealed version without hashing its files again: the text is the
 * manifest's canonical JSON, the id the SHA-256 of the text (a few hundred
 * bytes), and the files are exactly the manifest's, with its sizes and
 * hashes. Returns one sentence per problem, empty when it holds together.
 */
export async function sealProblems(version: SealedModelVersion): Promise<string[]> {
  const problems: string[] = [];
  if (version.manifest.format !== MANIFEST_FORMAT) problems.push(`The manifest's format is ${JSON.stringify(version.manifest.format)}, not ${MANIFEST_FORMAT}.`);
  let text: string | null = null;
  try {
    text = canonicalJson(version.manifest);
  } catch (err) {
    problems.push(`manifest: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (text !== null && text !== version.text) problems.push('manifest: the text differs from the manifest it should spell.');
  const textHash = await sha256Hex(utf8(version.text));
  if (textHash !== version.id) problems.push(`manifest: SHA-256 is ${short(textHash)}, the version id is ${short(version.id)}.`);
  const entries = version.manifest.files;
  if (entries.length !== version.files.length) problems.push(`The manifest lists ${entries.length} files, the version has ${version.files.length}.`);
  entries.forEach((entry, i) => {
    const file = version.files[i];
    if (!file || file.path !== entry.path) problems.push(`${entry.path}: not where the manifest lists it.`);
    else if (file.bytes.byteLength !== entry.bytes) problems.push(`${entry.path}: ${file.bytes.byteLength} bytes, manifest says ${entry.bytes}.`);
    else if (file.sha256 !== entry.sha256) problems.push(`${entry.path}: sealed as ${short(file.sha256)}, manifest says ${short(entry.sha256)}.`);
  });
  return problems;
}
