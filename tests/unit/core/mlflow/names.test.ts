import { describe, expect, it } from 'vitest';
import { aliasProblem, keyProblem, modelNameProblem, normPath, pathNotUnique, runIdProblem, sanitizeMlflowKey } from '../../../../src/lib/core/mlflow';

describe('MLflow name rules (mlflow/utils/validation.py)', () => {
  it('normPath is posixpath.normpath for these', () => {
    expect(normPath('a//b')).toBe('a/b');
    expect(normPath('a/./b/')).toBe('a/b');
    expect(normPath('a/../b')).toBe('b');
    expect(normPath('../a')).toBe('../a');
    expect(normPath('')).toBe('.');
  });

  it('keys: letters, digits, _ - . space and /, as a clean relative path, ≤ 250', () => {
    for (const ok of ['loss', 'val/loss', 'learning rate', 'a.b-c_d', 'épsilon']) expect(keyProblem(ok)).toBeNull();
    for (const bad of ['layers[0]', 'a:b', 'a//b', '/a', 'a/', '.', '..', 'a/../b', '', 'x'.repeat(251)]) expect(keyProblem(bad)).not.toBeNull();
    expect(pathNotUnique('a/./b')).toBe(true);
  });

  it('sanitizeMlflowKey gives a key MLflow accepts', () => {
    expect(sanitizeMlflowKey('layers[0].units')).toBe('layers_0_.units');
    expect(sanitizeMlflowKey('/a//b/')).toBe('a/b');
    expect(sanitizeMlflowKey('a/../b')).toBe('a/b');
    expect(sanitizeMlflowKey('..')).toBe('_');
    for (const k of ['layers[0].units', '/a//b/', '..', 'x:y/./z', '%%%']) expect(keyProblem(sanitizeMlflowKey(k))).toBeNull();
  });

  it('run ids, aliases and model names', () => {
    expect(runIdProblem('0123456789abcdef0123456789abcdef')).toBeNull();
    expect(runIdProblem('3f2a-uuid-like')).toBeNull();
    expect(runIdProblem('_x')).not.toBeNull();
    expect(aliasProblem('champion')).toBeNull();
    expect(aliasProblem('Latest')).not.toBeNull();
    expect(aliasProblem('V3')).not.toBeNull();
    expect(aliasProblem('v3x')).toBeNull();
    expect(modelNameProblem('iris classifier')).toBeNull();
    expect(modelNameProblem('a\\b')).not.toBeNull();
  });
});
