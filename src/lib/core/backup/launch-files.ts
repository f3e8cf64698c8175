/**
 * Which kind of file the installed app was opened with (File Handling API): a CSV to import,
 * a Labbook archive (a workspace backup or a notebook export: a zip with a root
 * `labbook-manifest.json`), or a model bundle (any other zip), from a zip's directory alone.
 */
import { blobSource, readDirectory } from './backup-zip';

export type LaunchFileKind = 'csv' | 'labbook-archive' | 'model-bundle' | 'unsupported';

/** The root entry that marks a workspace backup or a notebook export. */
export const LABBOOK_MANIFEST = 'labbook-manifest.json';

/** What the name and MIME type alone say: a CSV, a zip to look into, or neither. */
export function kindByName(name: string, type = ''): 'csv' | 'zip' | 'unsupported' {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || type === 'text/csv') return 'csv';
  if (lower.endsWith('.zip') || type === 'application/zip' || type === 'application/x-zip-compressed') return 'zip';
  return 'unsupported';
}

/** A zip's kind: a Labbook archive when `labbook-manifest.json` is a root entry, else a model bundle. */
export function zipKind(entryNames: readonly string[]): 'labbook-archive' | 'model-bundle' {
  return entryNames.includes(LABBOOK_MANIFEST) ? 'labbook-archive' : 'model-bundle';
}

/**
 * The entry names of a zip (a Blob or File), from its central directory at the end: only the
 * tail is read, so a multi-gigabyte backup is not loaded to be classified. Null when the
 * bytes are not a readable zip.
 */
export function zipEntryNames(file: Blob): Promise<string[] | null> {
  return readDirectory(blobSource(file), 'file').then(
    (entries) => entries.map((e) => e.name),
    () => null,
  );
}

/**
 * Classifies one launched file. `entryNames` is asked only for zips. A zip that cannot be
 * read is still routed as a model bundle, whose importer explains what is wrong with it.
 */
export async function classifyLaunchFile(file: { name: string; type?: string }, entryNames: () => Promise<string[] | null>): Promise<LaunchFileKind> {
  const byName = kindByName(file.name, file.type ?? '');
  if (byName !== 'zip') return byName;
  const names = await entryNames();
  return names ? zipKind(names) : 'model-bundle';
}
