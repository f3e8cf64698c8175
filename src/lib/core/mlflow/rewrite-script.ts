/**
 * The Python 3 script shipped in the export zip as
 * mlflow-rewrite-artifact-uri.py. MLflow's file store keeps absolute file URIs
 * (an experiment's artifact_location, a run's artifact_uri, a model version's
 * source and storage_location); the export writes them under a placeholder
 * root, and this script, run once in the unzipped folder, points them at
 * where the mlruns folder really is. Standard library only; it edits just
 * those top-level lines of each meta.yaml, computing each value from where
 * the file sits, so running it again after moving the folder works too.
 */
export const MLFLOW_REWRITE_SCRIPT_NAME = 'mlflow-rewrite-artifact-uri.py';

export const MLFLOW_REWRITE_SCRIPT = String.raw`#!/usr/bin/env python3
"""Point the artifact paths of a Labbook MLflow export at this folder.

Usage:  python3 mlflow-rewrite-artifact-uri.py [path/to/mlruns]
(default: ./mlruns). Then:  MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri ./mlruns
Rewrites, in every meta.yaml: artifact_location (experiments), artifact_uri (runs),
source and storage_location (registered model versions). Standard library only.
"""
import os
import re
import sys
from pathlib import Path

KEYS = ("artifact_location", "artifact_uri", "source", "storage_location")
LINE = re.compile(r"^(artifact_location|artifact_uri|source|storage_location|run_id):[ ]?(.*)$")


def quote(value):
    return "'" + value.replace("'", "''") + "'"


def unquote(raw):
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1].replace("''", "'")
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return raw[1:-1].encode("utf-8").decode("unicode_escape")
    return raw


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def write_lines(path, lines):
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    os.replace(tmp, path)


def rewrite(path, values):
    lines = read_lines(path)
    changed = 0
    for i, line in enumerate(lines):
        m = LINE.match(line)
        if m and m.group(1) in values and values[m.group(1)] is not None:
            new = m.group(1) + ": " + quote(values[m.group(1)])
            if new != line:
                lines[i] = new
                changed += 1
    if changed:
        write_lines(path, lines)
    return changed


def field(path, key):
    for line in read_lines(path):
        m = LINE.match(line)
        if m and m.group(1) == key:
            return unquote(m.group(2))
    return None


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "mlruns").resolve()
    if not root.is_dir():
        sys.exit("No folder %s: run this next to the unzipped mlruns folder, or pass its path." % root)
    root_uri = root.as_uri()
    run_dirs = {}
    changed = 0
    for exp in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in ("models", ".trash")):
        if (exp / "meta.yaml").is_file():
            changed += rewrite(exp / "meta.yaml", {"artifact_location": root_uri + "/" + exp.name})
        for run in sorted(p for p in exp.iterdir() if p.is_dir()):
            if (run / "meta.yaml").is_file():
                run_dirs[run.name] = root_uri + "/" + exp.name + "/" + run.name + "/artifacts"
                changed += rewrite(run / "meta.yaml", {"artifact_uri": run_dirs[run.name]})
    models = root / "models"
    if models.is_dir():
        for meta in sorted(models.glob("*/version-*/meta.yaml")):
            run_id = field(meta, "run_id")
            values = {}
            for key in ("source", "storage_location"):
                old = field(meta, key)
                marker = "/" + str(run_id) + "/artifacts"
                if old and run_id in run_dirs and marker in old:
                    values[key] = run_dirs[run_id] + old.split(marker, 1)[1]
            changed += rewrite(meta, values)
    print("Rewrote %d line(s) under %s" % (changed, root))


if __name__ == "__main__":
    main()
`;
