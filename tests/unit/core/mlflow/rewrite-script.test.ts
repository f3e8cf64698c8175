import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MLFLOW_REWRITE_SCRIPT, mlflowFiles, parseMlflowFiles } from '../../../../src/lib/core/mlflow';
import { RUN_A, exportInput } from './fixtures';

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('MLFLOW_REWRITE_SCRIPT', () => {
  it('names the four keys and imports only the standard library', () => {
    for (const key of ['artifact_location', 'artifact_uri', 'source', 'storage_location']) expect(MLFLOW_REWRITE_SCRIPT).toContain(`"${key}"`);
    const imports = [...MLFLOW_REWRITE_SCRIPT.matchAll(/^(?:import|from) (\w+)/gm)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['os', 'pathlib', 're', 'sys']);
  });

  it.skipIf(!hasPython)('run in an unzipped export, points every path at the folder (twice is the same)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlflow export '));
    try {
      for (const f of mlflowFiles(exportInput())) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.bytes);
      }
      writeFileSync(join(dir, 'rewrite.py'), MLFLOW_REWRITE_SCRIPT);
      execFileSync('python3', ['rewrite.py'], { cwd: dir });
      execFileSync('python3', ['rewrite.py'], { cwd: dir });
      const root = pathToFileURL(join(dir, 'mlruns')).href;
      const read = (p: string): { path: string; bytes: Uint8Array } => ({ path: p, bytes: readFileSync(join(dir, p)) });
      const metas = mlflowFiles(exportInput())
        .map((f) => f.path)
        .filter((p) => p.endsWith('meta.yaml') || p.includes('/aliases/'));
      const store = parseMlflowFiles(metas.map(read));
      expect(store.experiments.map((e) => e.artifactLocation)).toEqual([`${root}/0`, `${root}/1`]);
      expect(store.runs.find((r) => r.id === RUN_A)?.artifactUri).toBe(`${root}/1/${RUN_A}/artifacts`);
      const version = store.registeredModels[0]?.versions[0];
      expect(version?.source).toBe(`${root}/1/${RUN_A}/artifacts/model`);
      expect(version?.storageLocation).toBe(`${root}/1/${RUN_A}/artifacts/model`);
      expect(version?.sourcePath).toBe('model');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
