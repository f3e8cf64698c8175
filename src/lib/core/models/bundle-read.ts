/**
 * Reading a model bundle, verifying everything before returning anything.
 * The zip's central directory is read first and every name, size and ratio
 * judged before a byte is inflated; then only manifest.json and bundle.json
 * (small, capped) are inflated, so the set of expected entries is known;
 * then each file is inflated alone, into a buffer of its declared size
 * (fflate allocates the declared size and never grows it), and hashed.
 */
import { unzipSync } from 'fflate';
import {
  BUNDLE_FILE,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BundleError,
  DEFAULT_BUNDLE_LIMITS,
  MANIFEST_FILE,
  NOTHING_IMPORTED,
  entryNameProblem,
  parseBundleJson,
  quoteName,
  type BundleExtraEntry,
  type BundleIndex,
  type BundleLimits,
  type BundleModelInfo,
} from './bundle';
import { checkModelJson, checkVersionDocument, type LayersModelJson } from './bundle-model';
import { sha256Hex } from '../common';
import {
  MANIFEST_FORMAT,
  MODEL_JSON,
  STANDARD_MODEL_FILES,
  WEIGHTS_BIN,
  canonicalJson,
  compareCodeUnits,
  utf8,
  type ManifestFile,
  type ModelFileInput,
  type ModelManifest,
} from './model-manifest';

/** A bundle whose every hash, name, size and model.json class was checked. */
export interface VerifiedBundle {
  /** SHA-256 of manifest.json: the model version id, the same as on the exporter's machine. */
  versionId: string;
  manifest: ModelManifest;
  /** manifest.json as text: canonical, exactly what was hashed. */
  manifestText: string;
  /** The version's files, in manifest order. */
  files: ModelFileInput[];
  /** Files outside the version's identity (README.md, reference-stats.json), in bundle.json order. */
  extras: ModelFileInput[];
  /** The exporter's registry name and number: a default for the importer. */
  model: BundleModelInfo | null;
  modelJson: LayersModelJson;
}

interface DirEntry {
  name: string;
  size: number;
  originalSize: number;
  compression: number;
}

const HEX64 = /^[0-9a-f]{64}$/;
const CHANGED = 'the bundle was changed after export.';

function fail(file: string | null, message: string): never {
  throw new BundleError(file, `${message} ${NOTHING_IMPORTED}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasExactKeys(v: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(v);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(v, k));
}

/** Walks the central directory without inflating, judging each entry as it comes (a huge entry count stops at the cap). */
function readDirectory(zip: Uint8Array, limits: BundleLimits): Map<string, DirEntry> {
  const entries = new Map<string, DirEntry>();
  let total = 0;
  const judge = (e: DirEntry): void => {
    if (entries.size >= limits.maxEntries) fail(null, `The bundle has more than ${limits.maxEntries} entries; a Labbook bundle has about ten. It was not made by Labbook.`);
    const problem = entryNameProblem(e.name);
    if (problem) fail(e.name, `The bundle's entry ${quoteName(e.name)} ${problem}: it was not made by Labbook, or ${CHANGED}`);
    if (entries.has(e.name)) fail(e.name, `The bundle holds two entries named ${e.name}: ${CHANGED}`);
    if (e.compression !== 0 && e.compression !== 8) fail(e.name, `${e.name} uses a compression method (${e.compression}) Labbook does not read.`);
    if (e.compression === 0 && e.size !== e.originalSize) fail(e.name, `${e.name} is stored uncompressed but declares two different sizes: the bundle is damaged.`);
    if (e.originalSize > limits.maxEntryBytes) fail(e.name, `${e.name} would unpack to ${e.originalSize} bytes, over the limit of ${limits.maxEntryBytes} bytes per file.`);
    total += e.originalSize;
    if (total > limits.maxTotalBytes) fail(e.name, `The bundle would unpack to more than ${limits.maxTotalBytes} bytes (at ${e.name}), over the limit for a model bundle.`);
    if (e.originalSize >= limits.ratioFloorBytes && e.originalSize > e.size * limits.maxRatio) {
      fail(e.name, `${e.name} is compressed more than ${limits.maxRatio} times (${e.size} bytes unpacking to ${e.originalSize}), as a zip bomb is: refused.`);
    }
    entries.set(e.name, e);
  };
  try {
    unzipSync(zip, {
      filter: (f) => {
        judge({ name: f.name, size: f.size, originalSize: f.originalSize, compression: f.compression });
        return false;
      },
    });
  } catch (err) {
    if (err instanceof BundleError) throw err;
    notAZip();
  }
  return entries;
}

function notAZip(): never {
  fail(null, 'This file is not a zip archive, so it is not a Labbook model bundle. Export the model again from Labbook and drop the .zip it gives.');
}

/** Inflates one entry alone (so a failure names it) and checks it unpacked to its declared size. */
function inflate(zip: Uint8Array, entry: DirEntry): Uint8Array {
  let out: Uint8Array | undefined;
  try {
    // The filter accepts only this exact name, and names were checked, so the result's key is never __proto__.
    out = unzipSync(zip, { filter: (f) => f.name === entry.name })[entry.name];
  } catch (err) {
    const detail = err instanceof Error ? ` (${err.message})` : '';
    fail(entry.name, `${entry.name} could not be unpacked${detail}: the bundle is damaged.`);
  }
  if (!out) fail(entry.name, `${entry.name} could not be unpacked: the bundle is damaged.`);
  if (out.byteLength !== entry.originalSize) {
    fail(entry.name, `${entry.name} unpacked to ${out.byteLength} bytes, not the ${entry.originalSize} its zip entry declares: the bundle is damaged.`);
  }
  return out;
}

function indexEntry(dir: Map<string, DirEntry>, name: string, limits: BundleLimits): DirEntry {
  const e = dir.get(name);
  if (!e) fail(name, `The bundle has no ${name}, so it is not a Labbook model bundle. Export the model again from Labbook.`);
  if (e.originalSize > limits.maxIndexBytes) fail(name, `${name} is ${e.originalSize} bytes, more than it could ever need (${limits.maxIndexBytes}).`);
  return e;
}

function checkFileEntry(source: string, raw: unknown, i: number): ManifestFile {
  if (!isRecord(raw) || !hasExactKeys(raw, ['path', 'sha256', 'bytes'])) fail(source, `${source} has a malformed file entry (number ${i + 1}).`);
  const { path, sha256, bytes } = raw;
  if (typeof path !== 'string' || entryNameProblem(path) !== null || path === MANIFEST_FILE || path === BUNDLE_FILE) {
    fail(source, `${source} lists a file with the unusable name ${quoteName(String(path))}.`);
  }
  if (typeof sha256 !== 'string' || !HEX64.test(sha256)) fail(source, `${source} gives ${path} a SHA-256 that is not 64 lower-case hex digits.`);
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) fail(source, `${source} gives ${path} a size that is not a whole number of bytes.`);
  return { path, sha256, bytes };
}

function checkSorted(source: string, list: readonly { path: string }[]): void {
  for (let i = 1; i < list.length; i++) {
    if (compareCodeUnits(list[i - 1]!.path, list[i]!.path) >= 0) fail(source, `${source} lists its files out of order or twice (at ${list[i]!.path}): ${CHANGED}`);
  }
}

/** Parses manifest.json and holds it to what Labbook writes: canonical, sorted, exactly the standard files. */
function parseManifest(bytes: Uint8Array): ModelManifest {
  const raw = parseBundleJson(MANIFEST_FILE, bytes);
  if (!isRecord(raw) || !hasExactKeys(raw, ['format', 'files']) || !Array.isArray(raw.files)) {
    fail(MANIFEST_FILE, `${MANIFEST_FILE} is not a Labbook model manifest.`);
  }
  if (raw.format !== MANIFEST_FORMAT) {
    fail(MANIFEST_FILE, `${MANIFEST_FILE} has the format ${JSON.stringify(raw.format)}; this Labbook reads ${MANIFEST_FORMAT}. Was it made by a newer Labbook?`);
  }
  const files = raw.files.map((f, i) => checkFileEntry(MANIFEST_FILE, f, i));
  checkSorted(MANIFEST_FILE, files);
  const listed = new Set(files.map((f) => f.path));
  const unknown = files.find((f) => !STANDARD_MODEL_FILES.includes(f.path));
  if (unknown) fail(MANIFEST_FILE, `${MANIFEST_FILE} lists ${unknown.path}, which is not a file of a Labbook model version. Was it made by a newer Labbook?`);
  const absent = STANDARD_MODEL_FILES.find((p) => !listed.has(p));
  if (absent) fail(MANIFEST_FILE, `${MANIFEST_FILE} does not list ${absent}, which every Labbook model version has.`);
  const manifest: ModelManifest = { format: MANIFEST_FORMAT, files };
  // The stored version keeps the canonical text as its id's preimage; bytes that differ (spaces, a BOM) would give another id.
  const canonical = utf8(canonicalJson(manifest));
  if (canonical.byteLength !== bytes.byteLength || canonical.some((b, i) => b !== bytes[i])) {
    fail(MANIFEST_FILE, `${MANIFEST_FILE} is not in the canonical form Labbook writes: ${CHANGED}`);
  }
  return manifest;
}

function parseModelInfo(raw: unknown): BundleModelInfo | null {
  if (raw === null) return null;
  const ok =
    isRecord(raw) &&
    hasExactKeys(raw, ['name', 'version']) &&
    typeof raw.name === 'string' &&
    raw.name.trim().length > 0 &&
    [...raw.name].length <= 64 &&
    Number.isSafeInteger(raw.version) &&
    (raw.version as number) >= 1;
  if (!ok) fail(BUNDLE_FILE, `${BUNDLE_FILE} gives the model's name and version in a form Labbook does not write.`);
  return { name: raw.name as string, version: raw.version as number };
}

/** Parses bundle.json: format, version id, suggested name, extras. */
function parseIndex(bytes: Uint8Array): BundleIndex {
  const raw = parseBundleJson(BUNDLE_FILE, bytes);
  if (!isRecord(raw) || raw.format !== BUNDLE_FORMAT) fail(BUNDLE_FILE, `${BUNDLE_FILE} does not describe a Labbook model bundle.`);
  if (typeof raw.formatVersion === 'number' && raw.formatVersion > BUNDLE_FORMAT_VERSION) {
    fail(BUNDLE_FILE, `This bundle has format version ${raw.formatVersion}; this Labbook reads version ${BUNDLE_FORMAT_VERSION}. Update Labbook and import it again.`);
  }
  if (raw.formatVersion !== BUNDLE_FORMAT_VERSION || !hasExactKeys(raw, ['format', 'formatVersion', 'versionId', 'model', 'extras'])) {
    fail(BUNDLE_FILE, `${BUNDLE_FILE} is not in the form Labbook writes.`);
  }
  if (typeof raw.versionId !== 'string' || !HEX64.test(raw.versionId)) fail(BUNDLE_FILE, `${BUNDLE_FILE} has no valid version id.`);
  if (!Array.isArray(raw.extras)) fail(BUNDLE_FILE, `${BUNDLE_FILE} has no list of extra files.`);
  const extras: BundleExtraEntry[] = raw.extras.map((e, i) => checkFileEntry(BUNDLE_FILE, e, i));
  checkSorted(BUNDLE_FILE, extras);
  return { format: BUNDLE_FORMAT, formatVersion: BUNDLE_FORMAT_VERSION, versionId: raw.versionId, model: parseModelInfo(raw.model), extras };
}

/** Inflates a listed file and checks its size and SHA-256 against the list that names it. */
async function verifiedFile(zip: Uint8Array, dir: Map<string, DirEntry>, listed: ManifestFile, source: string): Promise<Uint8Array> {
  const entry = dir.get(listed.path);
  if (!entry) fail(listed.path, `${listed.path} is listed in ${source} but missing from the bundle: ${CHANGED}`);
  if (entry.originalSize !== listed.bytes) {
    fail(listed.path, `${listed.path} is ${entry.originalSize} bytes but ${source} says ${listed.bytes}: ${CHANGED}`);
  }
  const bytes = inflate(zip, entry);
  if ((await sha256Hex(bytes)) !== listed.sha256) {
    fail(listed.path, `${listed.path} does not match its SHA-256 in ${source}: ${CHANGED}`);
  }
  return bytes;
}

/**
 * Reads and verifies a bundle .zip. Nothing is returned unless all of it
 * holds: caps on size, entry count, per-entry and total unpacked size and
 * compression ratio; safe, unique, expected entry names; manifest.json in
 * canonical form listing the standard files; its SHA-256 equal to
 * bundle.json's version id; every file's size and SHA-256; extras' hashes;
 * model.json's classes and weight byte counts; the JSON files well formed.
 * @throws BundleError naming the file that failed (null for the zip as a whole).
 */
export async function readBundle(zip: Uint8Array, limits: Partial<BundleLimits> = {}): Promise<VerifiedBundle> {
  const lim: BundleLimits = { ...DEFAULT_BUNDLE_LIMITS, ...limits };
  if (zip.byteLength > lim.maxZipBytes) fail(null, `This file is ${zip.byteLength} bytes, over the ${lim.maxZipBytes}-byte limit for a model bundle.`);
  if (zip.byteLength < 22) notAZip();
  const dir = readDirectory(zip, lim);
  if (dir.size === 0) fail(null, 'This zip is empty, so it is not a Labbook model bundle.');
  const manifestBytes = inflate(zip, indexEntry(dir, MANIFEST_FILE, lim));
  const index = parseIndex(inflate(zip, indexEntry(dir, BUNDLE_FILE, lim)));
  const manifest = parseManifest(manifestBytes);
  const versionId = await sha256Hex(manifestBytes);
  if (versionId !== index.versionId) {
    fail(MANIFEST_FILE, `${MANIFEST_FILE} does not match the version id in ${BUNDLE_FILE}: ${CHANGED}`);
  }
  const inManifest = new Set(manifest.files.map((f) => f.path));
  const clash = index.extras.find((e) => inManifest.has(e.path));
  if (clash) fail(BUNDLE_FILE, `${BUNDLE_FILE} lists ${clash.path} as an extra, but it is a file of the model version: ${CHANGED}`);
  // Judge the whole set of names before inflating any file, so an unexpected entry is refused unread.
  const expected = new Set([MANIFEST_FILE, BUNDLE_FILE, ...inManifest, ...index.extras.map((e) => e.path)]);
  for (const name of dir.keys()) {
    if (!expected.has(name)) fail(name, `The bundle holds ${name}, which neither ${MANIFEST_FILE} nor ${BUNDLE_FILE} lists: ${CHANGED}`);
  }
  for (const name of expected) {
    if (!dir.has(name)) fail(name, `${name} is listed in ${inManifest.has(name) ? MANIFEST_FILE : BUNDLE_FILE} but missing from the bundle: ${CHANGED}`);
  }
  const files: ModelFileInput[] = [];
  for (const f of manifest.files) files.push({ path: f.path, bytes: await verifiedFile(zip, dir, f, MANIFEST_FILE) });
  const extras: ModelFileInput[] = [];
  for (const e of index.extras) extras.push({ path: e.path, bytes: await verifiedFile(zip, dir, e, BUNDLE_FILE) });

  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const weights = byPath.get(WEIGHTS_BIN)!;
  const modelJson = checkModelJson(parseBundleJson(MODEL_JSON, byPath.get(MODEL_JSON)!), weights.byteLength);
  for (const f of [...files, ...extras]) {
    if (f.path === MODEL_JSON || !f.path.endsWith('.json')) continue;
    checkVersionDocument(f.path, parseBundleJson(f.path, f.bytes));
  }
  return {
    versionId,
    manifest,
    manifestText: new TextDecoder().decode(manifestBytes),
    files,
    extras,
    model: index.model,
    modelJson,
  };
}
