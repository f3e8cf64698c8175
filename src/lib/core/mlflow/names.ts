/**
 * The names MLflow's file store accepts, checked as mlflow/utils/validation.py
 * and mlflow/store/model_registry/file_store.py check them, so an export never
 * holds a file MLflow would refuse to read (its readers validate each name too).
 */

/** Thrown when the input holds something MLflow would refuse; the message says what and why. */
export class MlflowExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MlflowExportError';
  }
}

/** `_VALID_PARAM_AND_METRIC_NAMES = ^[/\w.\- ]*$` (Python's \w is Unicode letters, digits, _). */
const KEY_CHARS = /^[/\p{L}\p{N}\p{M}_.\- ]*$/u;
/** `_RUN_ID_REGEX`. */
const RUN_ID = /^[a-zA-Z0-9][\p{L}\p{N}\p{M}_-]{0,255}$/u;
/** `_EXPERIMENT_ID_REGEX`. */
const EXPERIMENT_ID = /^[a-zA-Z0-9][\p{L}\p{N}\p{M}_-]{0,63}$/u;
/** `_REGISTERED_MODEL_ALIAS_REGEX` and `_REGISTERED_MODEL_ALIAS_VERSION_REGEX`. */
const ALIAS = /^[\p{L}\p{N}\p{M}_-]*$/u;
const VERSION_ALIAS = /^[vV]\d+$/;

export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 5000;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_ALIAS_LENGTH = 255;

/** posixpath.normpath for relative names (no leading '/'), enough for `path_not_unique`. */
export function normPath(name: string): string {
  if (name === '') return '.';
  const absolute = name.startsWith('/');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part === '..' && absolute) continue;
    else parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** validation.path_not_unique: the key would name a different file than itself. */
export function pathNotUnique(name: string): boolean {
  const norm = normPath(name);
  return norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/');
}

/** Why MLflow would refuse this metric, param or tag key (`_validate_*_name` + length), or null. */
export function keyProblem(key: string): string | null {
  if (key === '') return 'it is empty';
  if (!KEY_CHARS.test(key)) return 'MLflow names may only contain letters, digits, _ - . space and /';
  if (pathNotUnique(key)) return `as a file path it resolves to '${normPath(key)}' (no leading, trailing or double '/', no '.' or '..' parts)`;
  if (key.length > MAX_KEY_LENGTH) return `it is longer than ${MAX_KEY_LENGTH} characters`;
  return null;
}

/**
 * A key MLflow accepts, made from one it would refuse: every other character
 * becomes '_', empty, '.' and '..' parts are dropped, it is cut to 250
 * characters. An empty result becomes '_'.
 */
export function sanitizeMlflowKey(key: string): string {
  const chars = Array.from(key, (ch) => (KEY_CHARS.test(ch) ? ch : '_')).join('');
  const parts = chars.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  let out = parts.join('/').slice(0, MAX_KEY_LENGTH);
  out = out.replace(/\/+$/, '');
  return out === '' || pathNotUnique(out) ? '_' : out;
}

export function runIdProblem(id: string): string | null {
  return RUN_ID.test(id) ? null : 'a run id must start with a letter or digit and hold only letters, digits, _ and - (at most 256)';
}

export function experimentIdProblem(id: string): string | null {
  if (!EXPERIMENT_ID.test(id)) return 'an experiment id must start with a letter or digit and hold only letters, digits, _ and - (at most 64)';
  if (id === 'models') return "'models' is the model registry's folder";
  return null;
}

export function experimentNameProblem(name: string): string | null {
  if (name === '') return 'it is empty';
  if (name.length > MAX_EXPERIMENT_NAME_LENGTH) return `it is longer than ${MAX_EXPERIMENT_NAME_LENGTH} characters`;
  return null;
}

/** registry file_store._validate_model_name: not empty, no path separator, no '%'. */
export function modelNameProblem(name: string): string | null {
  if (name === '') return 'it is empty';
  if (name.includes('/') || name.includes('\\')) return 'a registered model name cannot contain a path separator';
  if (name.includes('%')) return "a registered model name cannot contain '%'";
  if (name === '.' || name === '..') return 'it names a folder';
  return null;
}

/** validation._validate_model_alias_name. */
export function aliasProblem(alias: string): string | null {
  if (alias === '') return 'it is empty';
  if (!ALIAS.test(alias)) return 'aliases may only contain letters, digits, _ and -';
  if (alias.length > MAX_ALIAS_LENGTH) return `it is longer than ${MAX_ALIAS_LENGTH} characters`;
  if (alias.toLowerCase() === 'latest') return "'latest' is reserved";
  if (VERSION_ALIAS.test(alias)) return 'version aliases (v1, V2, …) are reserved';
  return null;
}

/** An artifact path inside a run: relative, '/'-separated, no empty, '.' or '..' part, no '\'. */
export function artifactPathProblem(path: string): string | null {
  if (path === '') return 'it is empty';
  if (path.includes('\\')) return "it contains '\\'";
  if (path.split('/').some((p) => p === '' || p === '.' || p === '..')) return "it has an empty, '.' or '..' part, or a leading or trailing '/'";
  return null;
}
