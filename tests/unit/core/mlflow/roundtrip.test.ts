import { describe, expect, it } from 'vitest';
import { MLFLOW_PLACEHOLDER_ROOT, mlflowFiles, parseMlflowFiles } from '../../../../src/lib/core/mlflow';
import { RUN_A, exportInput } from './fixtures';

describe('parseMlflowFiles(mlflowFiles(x))', () => {
  const input = exportInput();
  const store = parseMlflowFiles(mlflowFiles(input));

  it('gives back the experiment and the default one', () => {
    expect(store.experiments.map((e) => [e.id, e.name, e.creationTime, e.lifecycleStage])).toEqual([
      ['0', 'Default', 1700000000000, 'active'],
      ['1', 'Iris notebook', 1700000000000, 'active'],
    ]);
    expect(store.experiments[1]?.artifactLocation).toBe(`${MLFLOW_PLACEHOLDER_ROOT}/1`);
  });

  it('gives back every run with its status, times, params and tags', () => {
    expect(store.runs.map((r) => r.id)).toEqual(input.runs.map((r) => r.id));
    for (const run of input.runs) {
      const got = store.runs.find((r) => r.id === run.id);
      expect(got?.name).toBe(run.name);
      expect(got?.experimentId).toBe('1');
      expect(got?.status).toBe(run.status);
      expect(got?.startTime).toBe(run.startTime);
      expect(got?.endTime).toBe(run.endTime);
      expect(got?.params).toEqual(run.params);
      const tags: Record<string, string> = { 'mlflow.runName': run.name, 'mlflow.user': 'labbook', 'mlflow.source.name': 'Labbook', 'mlflow.source.type': 'LOCAL', ...run.tags };
      if (run.note !== undefined) tags['mlflow.note.content'] = run.note;
      expect(got?.tags).toEqual(tags);
    }
  });

  it('gives back every metric point with its step and timestamp (NaN too)', () => {
    for (const run of input.runs) {
      const got = store.runs.find((r) => r.id === run.id)?.metrics ?? [];
      const key = (m: { key: string; step: number; timestamp: number }): string => `${m.key}|${m.step}|${m.timestamp}`;
      expect(got.map(key).sort()).toEqual(run.metrics.map(key).sort());
      for (const m of run.metrics) expect(got.find((g) => key(g) === key(m))?.value).toBe(m.value);
    }
  });

  it('gives back the artifacts byte for byte', () => {
    const got = store.runs.find((r) => r.id === RUN_A)?.artifacts ?? [];
    expect(got.map((a) => [a.path, Array.from(a.bytes)])).toEqual(input.runs[0]?.artifacts.map((a) => [a.path, Array.from(a.bytes)]));
  });

  it('gives back registered models, versions and aliases', () => {
    expect(store.registeredModels).toHaveLength(1);
    const model = store.registeredModels[0];
    expect(model?.name).toBe('iris-classifier');
    expect(model?.createdAt).toBe(1700000020000);
    expect(model?.updatedAt).toBe(1700000030000);
    expect(model?.description).toBe('Predicts the species');
    expect(model?.aliases).toEqual({ champion: 1 });
    expect(model?.versions.map((v) => [v.version, v.createdAt, v.runId, v.sourcePath, v.status, v.currentStage, v.description])).toEqual([
      [1, 1700000021000, RUN_A, 'model', 'READY', 'None', null],
    ]);
  });

  it('keeps names and values YAML would otherwise change (numbers, yes, quotes, colons)', () => {
    const tricky = exportInput();
    tricky.experiment.name = "yes: it's #1";
    const run = tricky.runs[0];
    if (!run) throw new Error('fixture');
    run.name = '0123';
    run.params.flag = 'true';
    const back = parseMlflowFiles(mlflowFiles(tricky));
    expect(back.experiments[1]?.name).toBe("yes: it's #1");
    expect(back.runs.find((r) => r.id === RUN_A)?.name).toBe('0123');
    expect(back.runs.find((r) => r.id === RUN_A)?.params.flag).toBe('true');
  });
});

describe('parseMlflowFiles on files MLflow wrote', () => {
  it('reads a 2-field metric line as step 0, and a legacy int experiment_id', () => {
    const enc = new TextEncoder();
    const store = parseMlflowFiles([
      { path: 'mlruns/3/meta.yaml', bytes: enc.encode('artifact_location: file:///m/3\nexperiment_id: 3\nlifecycle_stage: active\nname: old\n') },
      { path: 'mlruns/3/abc/meta.yaml', bytes: enc.encode("artifact_uri: file:///m/3/abc/artifacts\nexperiment_id: '3'\nrun_id: abc\nrun_uuid: abc\nstatus: 4\nstart_time: 5\nend_time: null\nlifecycle_stage: active\n") },
      { path: 'mlruns/3/abc/metrics/acc', bytes: enc.encode('10 0.5\n20 0.75 3\n') },
      { path: 'mlruns/3/abc/tags/mlflow.runName', bytes: enc.encode('from-tag') },
    ]);
    expect(store.experiments[0]?.id).toBe('3');
    expect(store.runs[0]?.status).toBe('FAILED');
    expect(store.runs[0]?.name).toBe('from-tag');
    expect(store.runs[0]?.metrics).toEqual([
      { key: 'acc', timestamp: 10, value: 0.5, step: 0 },
      { key: 'acc', timestamp: 20, value: 0.75, step: 3 },
    ]);
  });
});
