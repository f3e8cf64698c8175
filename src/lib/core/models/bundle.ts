/**
 * The model bundle: one .zip a colleague can import and verify. It holds a
 * model version's files, `manifest.json` (the version's manifest text, byte
 * for byte, so the bundle's identity is the version id), and `bundle.json`,
 * an envelope naming the version and listing the extras (README.md model
 * card, reference statistics for drift checks) with their own SHA-256.
 *
 * Extras stay outside the manifest on purpose: the manifest is the version's
 * identity, and export then import must give the same version id. A card
 * written at export time (with the registry name and number, which are not
 * facts of the model) would otherwise change the id on every rename.
 *
 * Reading lives in bundle-read.ts, the model.json checks in bundle-model.ts
 * and the card in bundle-card.ts.
 */
import { zipSync, type Zippable } from 'fflate';
import { sha256Hex } from '../common';
import { MANIFEST_FORMAT, compareCodeUnits, canonicalJson, utf8, verifyFiles, type ModelFileInput, type ModelManifest } from './model-manifest';

/** The version's manifest, exactly as hashed: SHA-256(manifest.json) is the version id. */
export const MANIFEST_FILE = 'manifest.json';
/** The bundle's envelope: format, version id, extras with their SHA-256. */
export const BUNDLE_FILE = 'bundle.json';
/** The model card extra. */
export const README_FILE = 'README.md';
/** Reference statistics for drift checks (an extra). */
export const REFERENCE_STATS_FILE = 'reference-stats.json';

export const BUNDLE_FORMAT = 'labbook-model-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

/** Caps that keep a hostile zip from exhausting memory before it is refused. */
export interface BundleLimits {
  /** The .zip file itself. */
  maxZipBytes: number;
  /** Entries in the zip's central directory. */
  maxEntries: number;
  /** Uncompressed size of any one entry. */
  maxEntryBytes: number;
  /** Uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** manifest.json and bundle.json, which are inflated before anything is verified. */
  maxIndexBytes: number;
  /** Uncompressed / compressed size, checked for entries of at least `ratioFloorBytes`. */
  maxRatio: number;
  /** Small entries may compress well (a run of zeros); only larger ones are held to maxRatio. */
  ratioFloorBytes: number;
}

const MB = 1_000_000;

/**
 * 200 MB in all (the figure); 64 entries (a bundle has about ten);
 * a ratio of 100 (deflate peaks near 1,032, JSON compresses 5 to 20 times,
 * float weights barely at all) for entries of 1 MiB or more.
 */
export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = {
  maxZipBytes: 200 * MB,
  maxEntries: 64,
  maxEntryBytes: 200 * MB,
  maxTotalBytes: 200 * MB,
  maxIndexBytes: 1 * MB,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

/** An extra's entry in bundle.json. */
export interface BundleExtraEntry {
  path: string;
  sha256: string;
  bytes: number;
}

/** Where the bundle came from in the exporter's registry: a suggestion for the importer, not identity. */
export interface BundleModelInfo {
  name: string;
  version: number;
}

/** bundle.json. */
export interface BundleIndex {
  format: typeof BUNDLE_FORMAT;
  formatVersion: typeof BUNDLE_FORMAT_VERSION;
  /** SHA-256 of manifest.json: the model version id. */
  versionId: string;
  model: BundleModelInfo | null;
  /** Sorted by path. */
  extras: BundleExtraEntry[];
}

/** A refused bundle (or export). `file` names the entry at fault, null when it is the zip as a whole. */
export class BundleError extends Error {
  readonly file: string | null;

  constructor(file: string | null, message: string) {
    super(message);
    this.name = 'BundleError';
    this.file = file;
  }
}

/** Appended to every import refusal: the registry is untouched, and what to do. */
export const NOTHING_IMPORTED = 'Nothing was imported.';

/** Names that would reach Object.prototype if used as a key (fflate's unzip result is a plain object). */
const RESERVED_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_NAME_LENGTH = 128;

/**
 * Why `name` is not acceptable as a bundle entry, or null when it is: no
 * absolute paths, backslashes, empty, `.` or `..` segments, reserved names
 * (`__proto__`, `constructor`, `prototype`), or characters beyond letters,
 * digits, `.`, `_`, `-` and `/` between segments. Unzipping tools write
 * entries by name, so a name like `../x` would land outside the folder.
 */
export function entryNameProblem(name: string): string | null {
  if (name === '') return 'has an empty name';
  if (name.length > MAX_NAME_LENGTH) return `has a name longer than ${MAX_NAME_LENGTH} characters`;
  if (name.includes('\\')) return 'has a backslash in its name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  const segments = name.split('/');
  for (const s of segments) {
    if (s === '') return 'has an empty path segment (a folder entry or a doubled "/")';
    if (s === '.' || s === '..') return 'has a "." or ".." path segment';
    if (RESERVED_SEGMENTS.has(s)) return `uses the reserved name "${s}"`;
    if (!SEGMENT.test(s)) return 'has characters other than letters, digits, ".", "_", "-" and "/"';
  }
  return null;
}

/** A printable form of an entry name for messages: JSON quoting shows control characters and spaces. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name);
}

/**
 * Decodes and parses a JSON file of a bundle. Refuses, naming the file,
 * text that is not UTF-8, malformed JSON, and `__proto__` keys (JSON.parse
 * makes them own properties, which a later Object.assign or merge would turn
 * into a prototype change; no file Labbook writes has one).
 */
export function parseBundleJson(path: string, bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (_err) {
    throw new BundleError(path, `${path} is not UTF-8 text: the bundle is damaged or was not made by Labbook. ${NOTHING_IMPORTED}`);
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new BundleError(path, `${path} has a "__proto__" key, which Labbook never writes. ${NOTHING_IMPORTED}`);
      return value;
    });
  } catch (err) {
    if (err instanceof BundleError) throw err;
    const detail = err instanceof Error ? ` (${err.message})` : '';
    throw new BundleError(path, `${path} is not valid JSON${detail}: the bundle is damaged. ${NOTHING_IMPORTED}`);
  }
}

/** Every entry gets this time: the same input then gives the same bytes. Local components, as the zip's DOS time is local. */
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

export interface BuildBundleInput {
  /** The version's files, as stored. */
  files: readonly ModelFileInput[];
  /** The version's canonical manifest, exactly as hashed. */
  manifestText: string;
  /** Files outside the version's identity (README.md, reference-stats.json), verified through bundle.json. */
  extras: readonly ModelFileInput[];
  /** The registry name and number at export, offered to the importer as a default. */
  model?: BundleModelInfo | null;
}

/**
 * Builds the bundle .zip. Checks the files against the manifest first
 * (a damaged stored version is never exported as if it were sound), and
 * refuses names or sizes the importer would refuse. Deterministic: fixed
 * times, sorted entries, canonical bundle.json.
 * @throws BundleError naming the file at fault.
 */
export async function buildBundle(input: BuildBundleInput): Promise<Uint8Array> {
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(input.manifestText) as ModelManifest;
  } catch (_err) {
    throw new BundleError(MANIFEST_FILE, 'The stored manifest is not valid JSON. Check the version with “Verify” before exporting it.');
  }
  if (manifest.format !== MANIFEST_FORMAT || canonicalJson(manifest) !== input.manifestText) {
    throw new BundleError(MANIFEST_FILE, 'The stored manifest is not in canonical form, so its hash would not be the version id. Nothing was exported.');
  }
  const checked = await verifyFiles(manifest, input.files);
  if (!checked.ok) {
    const first = /^([^:\s]+):/.exec(checked.problems[0] ?? '')?.[1] ?? null;
    throw new BundleError(first, `The stored files do not match the version's manifest: ${checked.problems.join(' ')} Nothing was exported.`);
  }
  const taken = new Set<string>([MANIFEST_FILE, BUNDLE_FILE, ...input.files.map((f) => f.path)]);
  const all = [...input.files, ...input.extras];
  for (const f of all) {
    const problem = entryNameProblem(f.path);
    if (problem) throw new BundleError(f.path, `The file ${quoteName(f.path)} ${problem}, so it cannot go in a bundle.`);
  }
  const sortedExtras = [...input.extras].sort((a, b) => compareCodeUnits(a.path, b.path));
  const extras: BundleExtraEntry[] = [];
  for (const e of sortedExtras) {
    if (taken.has(e.path)) throw new BundleError(e.path, `The extra ${e.path} has the name of a file the bundle already holds.`);
    taken.add(e.path);
    extras.push({ path: e.path, sha256: await sha256Hex(e.bytes), bytes: e.bytes.byteLength });
  }
  const index: BundleIndex = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    versionId: await sha256Hex(utf8(input.manifestText)),
    model: input.model ?? null,
    extras,
  };
  const limits = DEFAULT_BUNDLE_LIMITS;
  const total = all.reduce((s, f) => s + f.bytes.byteLength, 0);
  if (all.length + 2 > limits.maxEntries || total > limits.maxTotalBytes) {
    throw new BundleError(null, `This model is too large to bundle (${all.length + 2} files, ${total} bytes; the limit is ${limits.maxEntries} files and ${limits.maxTotalBytes} bytes).`);
  }
  // A null-prototype object: entry names become keys, and none may touch Object.prototype.
  const entries = Object.create(null) as Zippable;
  entries[MANIFEST_FILE] = utf8(input.manifestText);
  entries[BUNDLE_FILE] = utf8(canonicalJson(index));
  for (const f of [...input.files].sort((a, b) => compareCodeUnits(a.path, b.path))) entries[f.path] = f.bytes;
  for (const e of sortedExtras) entries[e.path] = e.bytes;
  return zipSync(entries, { level: 6, mtime: FIXED_MTIME });
}
