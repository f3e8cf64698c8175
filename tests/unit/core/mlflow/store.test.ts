import { describe, expect, it } from 'vitest';
import { MLFLOW_PLACEHOLDER_ROOT, mlflowFiles, mlflowStoreFiles, parseMlflowFiles, type MlflowStoreInput } from '../../../../src/lib/core/mlflow';
import { RUN_A, RUN_B, exportInput } from './fixtures';

const dec = new TextDecoder();

/** The fixture's two runs split over two experiments: RUN_A in '1', RUN_B in '2'. */
function twoExperiments(): MlflowStoreInput {
  const one = exportInput();
  return {
    experiments: [one.experiment, { id: '2', name: 'Heart notebook', createdAt: 1699999990000 }],
    runs: one.runs.map((r) => (r.id === RUN_B ? { ...r, experimentId: '2' } : r)),
    registeredModels: one.registeredModels,
  };
}

describe('mlflowStoreFiles: several experiments', () => {
  it('gives the same files as mlflowFiles for one experiment', () => {
    const one = exportInput();
    const a = mlflowFiles(one).map((f) => [f.path, dec.decode(f.bytes)]);
    const b = mlflowStoreFiles({ experiments: [one.experiment], runs: one.runs, registeredModels: one.registeredModels }).map((f) => [f.path, dec.decode(f.bytes)]);
    expect(b).toEqual(a);
  });

  it('puts each run under its own experiment, and the default experiment once at the earliest time', () => {
    const files = mlflowStoreFiles(twoExperiments());
    const paths = files.map((f) => f.path);
    expect(paths.filter((p) => /^mlruns\/[^/]+\/meta\.yaml$/.test(p)).sort()).toEqual(['mlruns/0/meta.yaml', 'mlruns/1/meta.yaml', 'mlruns/2/meta.yaml']);
    expect(paths).toContain(`mlruns/1/${RUN_A}/meta.yaml`);
    expect(paths).toContain(`mlruns/2/${RUN_B}/meta.yaml`);
    expect(paths.some((p) => p.startsWith(`mlruns/1/${RUN_B}/`))).toBe(false);
    const store = parseMlflowFiles(files);
    expect(store.experiments.map((e) => [e.id, e.name, e.creationTime])).toEqual([
      ['0', 'Default', 1699999990000],
      ['1', 'Iris notebook', 1700000000000],
      ['2', 'Heart notebook', 1699999990000],
    ]);
    expect(store.runs.map((r) => [r.id, r.experimentId, r.artifactUri])).toEqual([
      [RUN_A, '1', `${MLFLOW_PLACEHOLDER_ROOT}/1/${RUN_A}/artifacts`],
      [RUN_B, '2', `${MLFLOW_PLACEHOLDER_ROOT}/2/${RUN_B}/artifacts`],
    ]);
  });

  it("points a model version's source at its run's own experiment", () => {
    const input = twoExperiments();
    const model = input.registeredModels[0];
    if (!model) throw new Error('fixture');
    model.versions.push({ version: 2, createdAt: 1700000022000, runId: RUN_B, source: 'model', status: 'READY' });
    const store = parseMlflowFiles(mlflowStoreFiles(input));
    const versions = store.registeredModels[0]?.versions ?? [];
    expect(versions.map((v) => [v.version, v.source, v.sourcePath])).toEqual([
      [1, `${MLFLOW_PLACEHOLDER_ROOT}/1/${RUN_A}/artifacts/model`, 'model'],
      [2, `${MLFLOW_PLACEHOLDER_ROOT}/2/${RUN_B}/artifacts/model`, 'model'],
    ]);
  });

  it('refuses two experiments with one id or one name, a name "Default" beside experiment 0, a run of no exported experiment, and no experiment', () => {
    const input = twoExperiments();
    input.experiments.push({ id: '2', name: 'Other', createdAt: 1 }, { id: '3', name: 'Heart notebook', createdAt: 1 }, { id: '4', name: 'Default', createdAt: 1 });
    input.runs.push({ ...input.runs[1]!, id: 'c0ffee', experimentId: '9' });
    let message = '';
    try {
      mlflowStoreFiles(input);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("experiment id '2' appears twice");
    expect(message).toContain("experiment name 'Heart notebook' appears twice");
    expect(message).toContain("experiment name 'Default' appears twice");
    expect(message).toContain("run c0ffee: experiment '9' is not one of the exported experiments");
    expect(() => mlflowStoreFiles({ experiments: [], runs: [], registeredModels: [] })).toThrow(/there is no experiment to export/);
  });

  it('writes no default experiment when asked not to, or when one of them is experiment 0', () => {
    const input = twoExperiments();
    expect(mlflowStoreFiles(input, { defaultExperiment: false }).some((f) => f.path === 'mlruns/0/meta.yaml')).toBe(false);
    input.experiments[0] = { ...input.experiments[0]!, id: '0' };
    input.runs[0] = { ...input.runs[0]!, experimentId: '0' };
    const meta = mlflowStoreFiles(input).find((f) => f.path === 'mlruns/0/meta.yaml');
    expect(dec.decode(meta?.bytes)).toContain('name: Iris notebook\n');
  });
});
