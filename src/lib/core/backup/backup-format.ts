/**
 * The Labbook archive format (workspace backups and shared notebooks), pure:
 * the manifest and its checks, and the generic record encoding that moves
 * Blobs and typed arrays into entries of their own.
 *
 * Layout: one directory per unit written together (`versions/<hash>/`,
 * `runs/<id>/`…): its binary entries first (`0.bin`, `1.bin`…, stored), then
 * its `record.json` (stored as well), so a reader has every part of a unit once it
 * meets the JSON. `labbook-manifest.json` is the last entry.
 */

export const MANIFEST_NAME = 'labbook-manifest.json';
export const FORMAT_VERSION = 1;
export type ArchiveFormat = 'labbook-workspace' | 'labbook-notebook';

/** The unit groups, in the order a restore report lists them. */
export const GROUPS = ['notebooks', 'datasets', 'versions', 'models', 'modelVersions', 'aliasEvents', 'runs', 'predictions', 'driftReports', 'evaluations'] as const;
export type Group = (typeof GROUPS)[number];

/**
 * The order units are written, and so restored: what is referred to before what refers to
 * it, notebooks last, so a restore cut off part-way (each unit is its own transaction)
 * leaves no notebook pointing at a run or version it has not written yet.
 */
export const WRITE_ORDER: readonly Group[] = ['datasets', 'versions', 'runs', 'modelVersions', 'models', 'aliasEvents', 'predictions', 'driftReports', 'evaluations', 'notebooks'];

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: ArchiveFormat;
  formatVersion: number;
  appVersion: string;
  createdAt: number;
  /** For a shared notebook: its id. */
  notebookId?: string;
  files: ManifestFile[];
  /** Records by table. */
  counts: Record<string, number>;
}

/** A refusal naming the archive entry at fault (null: the archive as a whole). */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly file: string | null,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** Parses and checks the manifest's shape, format and version. */
export function parseManifest(text: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArchiveError(`${MANIFEST_NAME} is not valid JSON.`, MANIFEST_NAME);
  }
  const m = value as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || (m.format !== 'labbook-workspace' && m.format !== 'labbook-notebook')) {
    throw new ArchiveError(`${MANIFEST_NAME} does not describe a Labbook backup or notebook.`, MANIFEST_NAME);
  }
  if (m.formatVersion !== FORMAT_VERSION) {
    throw new ArchiveError(
      `${MANIFEST_NAME} has format version ${String(m.formatVersion)}; this Labbook reads version ${FORMAT_VERSION}. Update Labbook to restore it.`,
      MANIFEST_NAME,
    );
  }
  if (!Array.isArray(m.files) || !m.files.every((f) => f && typeof f.path === 'string' && typeof f.bytes === 'number' && typeof f.sha256 === 'string')) {
    throw new ArchiveError(`${MANIFEST_NAME} has no valid file list.`, MANIFEST_NAME);
  }
  return { ...m, counts: m.counts ?? {} } as Manifest;
}

/**
 * Checks what was read (every entry but the manifest, with its size and SHA-256,
 * in archive order) against the manifest. Throws the first mismatch.
 */
export function checkAgainstManifest(manifest: Manifest, seen: readonly ManifestFile[]): void {
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const found = new Set<string>();
  for (const entry of seen) {
    const want = listed.get(entry.path);
    if (!want) throw new ArchiveError(`${entry.path} is in the archive but not in its manifest.`, entry.path);
    if (found.has(entry.path)) throw new ArchiveError(`${entry.path} appears twice in the archive.`, entry.path);
    found.add(entry.path);
    if (want.bytes !== entry.bytes) {
      throw new ArchiveError(`${entry.path} has ${entry.bytes} bytes; the manifest says ${want.bytes}.`, entry.path);
    }
    if (want.sha256 !== entry.sha256) throw new ArchiveError(`${entry.path} does not match its SHA-256 in the manifest.`, entry.path);
  }
  for (const f of manifest.files) {
    if (!found.has(f.path)) throw new ArchiveError(`${f.path} is listed in the manifest but missing from the archive.`, f.path);
  }
}

/** A binary part of a record, written as its own entry. */
export interface BinaryPart {
  path: string;
  value: Blob | ArrayBufferView;
}

const TYPED: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  Uint8ClampedArray,
};

/**
 * A record as JSON-safe data: Blobs become `{ $blob: path }` and typed arrays
 * `{ $typed: 'Float32Array', $blob: path }` (their bytes are `parts`), and
 * NaN / ±Infinity `{ $num: 'NaN' }`, which plain JSON would turn into null.
 * Generic, so fields added later travel too.
 */
export function encodeRecord(record: unknown, dir: string): { data: unknown; parts: BinaryPart[] } {
  const parts: BinaryPart[] = [];
  const walk = (value: unknown): unknown => {
    if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
    if (value === null || typeof value !== 'object') return value;
    if (typeof Blob !== 'undefined' && value instanceof Blob) {
      const path = `${dir}/${parts.length}.bin`;
      parts.push({ path, value });
      return { $blob: path, bytes: value.size };
    }
    if (ArrayBuffer.isView(value)) {
      const path = `${dir}/${parts.length}.bin`;
      parts.push({ path, value });
      return { $typed: value.constructor.name, $blob: path, bytes: value.byteLength };
    }
    if (Array.isArray(value)) return value.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = walk(v);
    return out;
  };
  return { data: walk(record), parts };
}

/** Undoes encodeRecord; `bytesOf(path)` gives a binary entry's bytes (as read back). */
export function decodeRecord(data: unknown, bytesOf: (path: string) => Blob | Uint8Array): unknown {
  const walk = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(walk);
    const o = value as Record<string, unknown>;
    if (typeof o.$num === 'string' && Object.keys(o).length === 1) return Number(o.$num);
    if (typeof o.$blob === 'string') {
      const part = bytesOf(o.$blob);
      if (typeof o.$typed === 'string') {
        const Ctor = TYPED[o.$typed];
        if (!Ctor || !(part instanceof Uint8Array)) throw new ArchiveError(`${o.$blob} is not a known array type.`, o.$blob);
        const copy = new Uint8Array(part.byteLength);
        copy.set(part);
        return new Ctor(copy.buffer);
      }
      return part instanceof Uint8Array ? new Blob([part as Uint8Array<ArrayBuffer>]) : part;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = walk(v);
    return out;
  };
  return walk(data);
}

/** Canonical JSON (sorted keys) of encoded data, for "identical" checks. Blob contents are compared by size. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => k !== '$blob')
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** A path segment for a key: the key itself when it is plain, otherwise a sequence number. */
export function segment(key: string, seq: number): string {
  return /^[A-Za-z0-9_-]{1,128}$/.test(key) ? key : `n${seq}`;
}

/** `labbook-backup-YYYY-MM-DD-HHMM.zip` in local time. */
export function backupFileName(at: Date, prefix = 'labbook-backup'): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}.zip`;
}

/** What a restore did, by table. */
export interface RestoreReport {
  format: ArchiveFormat;
  notebookId: string | null;
  added: Record<string, number>;
  alreadyHad: Record<string, number>;
  keptYours: { table: string; key: string }[];
  refused: { table: string; key: string; why: string }[];
}

export function emptyReport(format: ArchiveFormat, notebookId: string | null = null): RestoreReport {
  return { format, notebookId, added: {}, alreadyHad: {}, keptYours: [], refused: [] };
}

const NOUNS: Record<string, [string, string]> = {
  notebooks: ['notebook', 'notebooks'],
  datasets: ['dataset', 'datasets'],
  versions: ['dataset version', 'dataset versions'],
  runs: ['run', 'runs'],
  models: ['model', 'models'],
  modelVersions: ['model version', 'model versions'],
  aliasEvents: ['alias event', 'alias events'],
  predictions: ['prediction', 'predictions'],
  driftReports: ['drift report', 'drift reports'],
  evaluations: ['evaluation', 'evaluations'],
};

export function countPhrase(table: string, n: number): string {
  const [one, many] = NOUNS[table] ?? [table, table];
  return `${n} ${n === 1 ? one : many}`;
}

function counts(c: Record<string, number>): string {
  const list = GROUPS.filter((g) => (c[g] ?? 0) > 0).map((g) => countPhrase(g, c[g] ?? 0));
  return list.length ? list.join(', ') : 'nothing';
}

/** "Added 1 notebook, 2 dataset versions…; already had …; kept yours: …; refused: … (why)". */
export function describeReport(r: RestoreReport): string {
  const parts = [`Added ${counts(r.added)}`, `already had ${counts(r.alreadyHad)}`];
  if (r.keptYours.length) parts.push(`kept yours: ${r.keptYours.map((k) => `${NOUNS[k.table]?.[0] ?? k.table} ${k.key}`).join(', ')}`);
  if (r.refused.length) parts.push(`refused: ${r.refused.map((k) => `${NOUNS[k.table]?.[0] ?? k.table} ${k.key} (${k.why})`).join(', ')}`);
  return `${parts.join('; ')}.`;
}
