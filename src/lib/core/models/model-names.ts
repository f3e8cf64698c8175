/**
 * Naming rules of the model registry: model names, aliases and the file name
 * of a version's bundle. Pure, so the registry (storage), the forms that
 * check input as it is typed (components) and the tests share one rule.
 */
import type { VerifiedBundle } from './bundle-read';
import { LINEAGE_JSON } from './model-manifest';
import type { Lineage } from './run-results';

/** The longest model name, in characters (code points). */
export const MODEL_NAME_MAX_LENGTH = 64;
export const MODEL_NAME_MESSAGE = `A model name needs 1 to ${MODEL_NAME_MAX_LENGTH} characters.`;

export const ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
export const ALIAS_MESSAGE =
  'An alias starts with a lower-case letter and has at most 32 lower-case letters, digits, “-” or “_” (like champion).';

/** A model name as stored: trimmed, 1 to 64 characters; throws MODEL_NAME_MESSAGE otherwise. */
export function normalizeModelName(name: string): string {
  const trimmed = name.trim();
  // Code points, not UTF-16 units: an emoji counts as one character.
  const length = [...trimmed].length;
  if (length < 1 || length > MODEL_NAME_MAX_LENGTH) throw new Error(MODEL_NAME_MESSAGE);
  return trimmed;
}

/** Whether an alias is well formed: /^[a-z][a-z0-9_-]{0,31}$/. */
export function isValidAlias(alias: string): boolean {
  return ALIAS_PATTERN.test(alias);
}

/**
 * A file name for a version's bundle, `<model-name>-v<N>-<first 12 hex of the id>.zip`:
 * the model name with anything but letters, digits, ".", "_" and "-" as "_".
 */
export function bundleFileName(modelName: string, version: number, versionId: string): string {
  // No leading dot or dash: no hidden file, nothing a shell reads as an option.
  const base = modelName.replace(/[^\w.-]+/g, '_').replace(/^[._-]+/, '') || 'model';
  return `${base}-v${version}-${versionId.slice(0, 12)}.zip`;
}

/** The name an imported bundle is registered under by default: the exporter's, else "<target> model". */
export function suggestedModelName(bundle: Pick<VerifiedBundle, 'model' | 'files'>): string {
  if (bundle.model) return bundle.model.name;
  try {
    const file = bundle.files.find((f) => f.path === LINEAGE_JSON);
    const target = file ? (JSON.parse(new TextDecoder().decode(file.bytes)) as Lineage).config.target : undefined;
    if (typeof target === 'string' && target.trim()) return `${target.trim()} model`.slice(0, MODEL_NAME_MAX_LENGTH);
  } catch (_err) {
    // A lineage.json that cannot be read is refused by the import itself; any name will do here.
  }
  return 'Imported model';
}
