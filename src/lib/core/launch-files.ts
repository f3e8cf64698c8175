/**
 * Which kind of file the installed app was opened with (File Handling API): a CSV to import,
 * a Labbook archive (a workspace backup or a notebook export: a zip with a root
 * `labbook-manifest.json`), or a model bundle (any other zip). Pure: the caller reads the bytes.
 */
import { unzipSync } from 'fflate';

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

/**
 * The entry names of a zip, read from its central directory without inflating anything;
 * null when the bytes are not a readable zip.
 */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    return null;
  }
  return names;
}

/** A zip's kind: a Labbook archive when `labbook-manifest.json` is a root entry, else a model bundle. */
export function zipKind(entryNames: readonly string[]): 'labbook-archive' | 'model-bundle' {
  return entryNames.includes(LABBOOK_MANIFEST) ? 'labbook-archive' : 'model-bundle';
}

/**
 * Classifies one launched file. `bytes` is read only for zips. A zip that cannot be read is
 * still routed as a model bundle, whose importer explains what is wrong with it.
 */
export async function classifyLaunchFile(file: { name: string; type?: string }, bytes: () => Promise<Uint8Array>): Promise<LaunchFileKind> {
  const byName = kindByName(file.name, file.type ?? '');
  if (byName !== 'zip') return byName;
  const names = zipEntryNames(await bytes());
  return names ? zipKind(names) : 'model-bundle';
}
