import { describe, expect, it } from 'vitest';
import { MLFLOW_PLACEHOLDER_ROOT, MlflowExportError, mlflowFiles, type MlflowFile } from '../../../../src/lib/core/mlflow';
import { RUN_A, RUN_B, exportInput } from './fixtures';

const dec = new TextDecoder();
const R = MLFLOW_PLACEHOLDER_ROOT;

function byPath(files: MlflowFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, dec.decode(f.bytes)]));
}

describe('mlflowFiles layout', () => {
  const files = mlflowFiles(exportInput());
  const text = byPath(files);

  it('writes exactly the file store files', () => {
    const a = `mlruns/1/${RUN_A}`;
    const b = `mlruns/1/${RUN_B}`;
    expect([...text.keys()].sort()).toEqual(
      [
        'mlruns/0/meta.yaml',
        'mlruns/1/meta.yaml',
        `${a}/meta.yaml`,
        `${a}/params/learning_rate`,
        `${a}/params/optimizer/name`,
        `${a}/params/epochs`,
        `${a}/metrics/loss`,
        `${a}/metrics/val/loss`,
        `${a}/metrics/test_accuracy`,
        `${a}/tags/mlflow.runName`,
        `${a}/tags/mlflow.user`,
        `${a}/tags/mlflow.source.name`,
        `${a}/tags/mlflow.source.type`,
        `${a}/tags/mlflow.note.content`,
        `${a}/tags/labbook.dataset`,
        `${a}/artifacts/model/model.json`,
        `${a}/artifacts/model/weights.bin`,
        `${b}/meta.yaml`,
        `${b}/metrics/loss`,
        `${b}/tags/mlflow.runName`,
        `${b}/tags/mlflow.user`,
        `${b}/tags/mlflow.source.name`,
        `${b}/tags/mlflow.source.type`,
        'mlruns/models/iris-classifier/meta.yaml',
        'mlruns/models/iris-classifier/version-1/meta.yaml',
        'mlruns/models/iris-classifier/aliases/champion',
      ].sort(),
    );
  });

  it('experiment meta.yaml: id as a quoted string, times as ints, lifecycle "active"', () => {
    expect(text.get('mlruns/1/meta.yaml')).toBe(
      `artifact_location: ${R}/1\ncreation_time: 1700000000000\nexperiment_id: '1'\nlast_update_time: 1700000000000\nlifecycle_stage: active\nname: Iris notebook\n`,
    );
    expect(text.get('mlruns/0/meta.yaml')).toContain("experiment_id: '0'\n");
    expect(text.get('mlruns/0/meta.yaml')).toContain('name: Default\n');
  });

  it('run meta.yaml: status as an int (FINISHED 3), source_type 4, empty tags list', () => {
    expect(text.get(`mlruns/1/${RUN_A}/meta.yaml`)).toBe(
      [
        `artifact_uri: ${R}/1/${RUN_A}/artifacts`,
        'end_time: 1700000009000',
        "entry_point_name: ''",
        "experiment_id: '1'",
        'lifecycle_stage: active',
        `run_id: ${RUN_A}`,
        'run_name: mlp-64',
        `run_uuid: ${RUN_A}`,
        "source_name: ''",
        'source_type: 4',
        "source_version: ''",
        'start_time: 1700000001000',
        'status: 3',
        'tags: []',
        'user_id: labbook',
        '',
      ].join('\n'),
    );
  });

  it('a killed run without an end: status 5, end_time null', () => {
    const meta = text.get(`mlruns/1/${RUN_B}/meta.yaml`) ?? '';
    expect(meta).toContain('\nstatus: 5\n');
    expect(meta).toContain('end_time: null\n');
  });

  it('metric files: one "timestamp value step" line per point, in order, Python float text', () => {
    expect(text.get(`mlruns/1/${RUN_A}/metrics/loss`)).toBe('1700000002000 1.25 0\n1700000003000 0.5 1\n1700000004000 0.25 2\n');
    expect(text.get(`mlruns/1/${RUN_A}/metrics/val/loss`)).toBe('1700000004000 1e-05 2\n');
    expect(text.get(`mlruns/1/${RUN_A}/metrics/test_accuracy`)).toBe('1700000009000 1.0 0\n');
    expect(text.get(`mlruns/1/${RUN_B}/metrics/loss`)).toBe('1700000011000 nan 0\n');
  });

  it('params and tags: the bare value, no newline; MLflow tags added', () => {
    expect(text.get(`mlruns/1/${RUN_A}/params/learning_rate`)).toBe('0.01');
    expect(text.get(`mlruns/1/${RUN_A}/params/optimizer/name`)).toBe('adam');
    expect(text.get(`mlruns/1/${RUN_A}/tags/mlflow.runName`)).toBe('mlp-64');
    expect(text.get(`mlruns/1/${RUN_A}/tags/mlflow.user`)).toBe('labbook');
    expect(text.get(`mlruns/1/${RUN_A}/tags/mlflow.source.type`)).toBe('LOCAL');
    expect(text.get(`mlruns/1/${RUN_A}/tags/mlflow.note.content`)).toBe('Baseline: 64 units');
    expect(text.get(`mlruns/1/${RUN_A}/tags/labbook.dataset`)).toBe('iris v2');
  });

  it('artifacts: the bytes as given', () => {
    const weights = files.find((f) => f.path.endsWith('artifacts/model/weights.bin'));
    expect(Array.from(weights?.bytes ?? [])).toEqual([0, 1, 2, 255]);
  });

  it('registered model meta.yaml, with aliases as the registry rewrites them', () => {
    expect(text.get('mlruns/models/iris-classifier/meta.yaml')).toBe(
      "aliases:\n  champion: '1'\ncreation_timestamp: 1700000020000\ndescription: Predicts the species\nlast_updated_timestamp: 1700000030000\nname: iris-classifier\n",
    );
  });

  it('model version meta.yaml: version int, stage "None", status READY, source in the run artifacts', () => {
    const src = `${R}/1/${RUN_A}/artifacts/model`;
    expect(text.get('mlruns/models/iris-classifier/version-1/meta.yaml')).toBe(
      [
        'aliases:',
        '- champion',
        'creation_timestamp: 1700000021000',
        'current_stage: None',
        'description: null',
        'last_updated_timestamp: 1700000021000',
        'name: iris-classifier',
        `run_id: ${RUN_A}`,
        'run_link: null',
        `source: ${src}`,
        'status: READY',
        'status_message: null',
        `storage_location: ${src}`,
        'user_id: null',
        'version: 1',
        '',
      ].join('\n'),
    );
  });

  it('alias file: the version number, no newline', () => {
    expect(text.get('mlruns/models/iris-classifier/aliases/champion')).toBe('1');
  });

  it('uses the root URI and user it is given, and can leave out experiment 0', () => {
    const other = byPath(mlflowFiles(exportInput(), { rootUri: 'file:///data/mlruns/', user: 'ana', defaultExperiment: false }));
    expect(other.has('mlruns/0/meta.yaml')).toBe(false);
    expect(other.get('mlruns/1/meta.yaml')).toContain('artifact_location: file:///data/mlruns/1\n');
    expect(other.get(`mlruns/1/${RUN_A}/meta.yaml`)).toContain('user_id: ana\n');
    expect(other.get(`mlruns/1/${RUN_A}/tags/mlflow.user`)).toBe('ana');
  });
});

describe('mlflowFiles refuses what MLflow refuses', () => {
  it('a key with characters MLflow rejects, or that is not a clean path', () => {
    const input = exportInput();
    const run = input.runs[0];
    if (!run) throw new Error('fixture');
    run.params['layers[0].units'] = '64';
    run.params['a//b'] = '1';
    run.metrics.push({ key: '../up', value: 1, step: 0, timestamp: 1 });
    let message = '';
    try {
      mlflowFiles(input);
    } catch (e) {
      expect(e).toBeInstanceOf(MlflowExportError);
      message = (e as Error).message;
    }
    expect(message).toContain("param 'layers[0].units'");
    expect(message).toContain("param 'a//b'");
    expect(message).toContain("metric '../up'");
  });

  it("sanitizes instead when asked: 'layers[0].units' → 'layers_0_.units', 'a//b' → 'a/b'", () => {
    const input = exportInput();
    const run = input.runs[0];
    if (!run) throw new Error('fixture');
    run.params['layers[0].units'] = '64';
    run.params['a//b'] = '1';
    const text = byPath(mlflowFiles(input, { invalidKeys: 'sanitize' }));
    expect(text.get(`mlruns/1/${RUN_A}/params/layers_0_.units`)).toBe('64');
    expect(text.get(`mlruns/1/${RUN_A}/params/a/b`)).toBe('1');
  });

  it('two keys on one file, or a key that is both a file and a folder', () => {
    const input = exportInput();
    const run = input.runs[0];
    if (!run) throw new Error('fixture');
    run.params.optimizer = 'x'; // 'optimizer/name' is already a file under params/optimizer/
    expect(() => mlflowFiles(input)).toThrow(/param 'optimizer' lands on the same file as 'optimizer\/name'/);
  });

  it('bad aliases, aliases to missing versions, bad model names', () => {
    const input = exportInput();
    const model = input.registeredModels[0];
    if (!model) throw new Error('fixture');
    model.aliases = { latest: 1, v2: 1, 'best model': 1, staging: 7 };
    input.registeredModels.push({ name: 'a/b', createdAt: 0, updatedAt: 0, aliases: {}, versions: [] });
    input.registeredModels.push({ name: '50%', createdAt: 0, updatedAt: 0, aliases: {}, versions: [] });
    let message = '';
    try {
      mlflowFiles(input);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("alias 'latest' — 'latest' is reserved");
    expect(message).toContain("alias 'v2' — version aliases");
    expect(message).toContain("alias 'best model' — aliases may only contain");
    expect(message).toContain("alias 'staging' points at version 7");
    expect(message).toContain("registered model 'a/b': a registered model name cannot contain a path separator");
    expect(message).toContain("registered model '50%': a registered model name cannot contain '%'");
  });

  it('bad run ids, a run of another experiment, non-integer times, a runName tag that differs', () => {
    const input = exportInput();
    const [a, b] = input.runs;
    if (!a || !b) throw new Error('fixture');
    a.startTime = 1.5;
    a.tags['mlflow.runName'] = 'other';
    b.id = '-bad';
    input.runs.push({ ...b, id: 'abc', experimentId: '2' });
    let message = '';
    try {
      mlflowFiles(input);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('start time: 1.5 is not a whole number');
    expect(message).toContain("tag mlflow.runName 'other' differs from the run name 'mlp-64'");
    expect(message).toContain("run id '-bad'");
    expect(message).toContain("run abc: experiment '2' is not the exported experiment '1'");
  });

  it("an experiment id that is not a folder name, or 'models'", () => {
    const input = exportInput();
    input.experiment.id = 'models';
    expect(() => mlflowFiles(input)).toThrow(/'models' is the model registry's folder/);
    input.experiment.id = 'a b';
    expect(() => mlflowFiles(input)).toThrow(/experiment id 'a b'/);
  });

  it('a param value longer than 6000 characters (truncated when sanitizing)', () => {
    const input = exportInput();
    const run = input.runs[0];
    if (!run) throw new Error('fixture');
    run.params.long = 'x'.repeat(6001);
    expect(() => mlflowFiles(input)).toThrow(/param 'long' has 6001 characters, MLflow takes at most 6000/);
    const text = byPath(mlflowFiles(input, { invalidKeys: 'sanitize' }));
    expect(text.get(`mlruns/1/${RUN_A}/params/long`)?.length).toBe(6000);
  });
});
