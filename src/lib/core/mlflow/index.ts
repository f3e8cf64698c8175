/**
 * MLflow export: Labbook's runs, model versions and registry written in
 * MLflow's file-store layout (mlruns/…), read back, and the Python script
 * that points the paths in the meta.yaml files at the unzipped folder.
 * Public: the input and parsed shapes (types), mlflowFiles (one experiment),
 * mlflowStoreFiles (several, one per notebook) and their constants
 * (write), parseMlflowFiles (parse), the name checks and MlflowExportError
 * (names), pythonFloatRepr / parsePythonFloat (format), MLFLOW_REWRITE_SCRIPT.
 * Internal: yaml.ts (the meta.yaml subset), used only by write and parse.
 */
export * from './types';
export * from './write';
export * from './parse';
export * from './names';
export * from './format';
export * from './rewrite-script';
