/**
 * Independent reference fits for the convergence tests: plain float64
 * JavaScript, no TF.js and none of the app's solver code. The rows come from
 * the app's own (pure) import, split and preprocessing, so the reference is
 * fitted on exactly the training rows the app used; only the optimisation
 * is done again here, the long way.
 */
import { importText } from '../unit/helpers';
import {
  decodeColumns,
  prepareData,
  type PreparedData,
  defaultTrainConfig,
  type Task,
} from '../../src/lib/core/training';

/** The prepared splits of `csv` under every default but the target, as the app prepares them. */
export async function preparedDefault(csv: string, target: string, task: Task): Promise<PreparedData> {
  const r = await importText(csv);
  const source = { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const features = r.schema.map((c) => c.name).filter((n) => n !== target);
  const config = defaultTrainConfig(r.hash, target, task, features);
  return prepareData(config, await decodeColumns(source, [target, ...features]));
}

/** Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting. */
export function gaussSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

const rowOf = (x: Float32Array, d: number, i: number) => [...x.subarray(i * d, i * d + d), 1];

/** Ordinary least squares with an intercept, by the normal equations: [w..., b]. */
export function olsFit(x: Float32Array, y: Float32Array, rows: number, d: number): number[] {
  const p = d + 1;
  const ata = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const aty = new Array<number>(p).fill(0);
  for (let i = 0; i < rows; i++) {
    const r = rowOf(x, d, i);
    for (let j = 0; j < p; j++) {
      aty[j]! += r[j]! * y[i]!;
      for (let k = 0; k < p; k++) ata[j]![k]! += r[j]! * r[k]!;
    }
  }
  // One-hot columns plus the intercept are collinear: a ridge far below any signal (1e-9 of the
  // diagonal) makes the system solvable without moving the fitted values.
  const ridge = 1e-9 * ata.reduce((s, row, j) => s + row[j]!, 0);
  ata.forEach((row, j) => (row[j]! += ridge));
  return gaussSolve(ata, aty);
}

/**
 * Multinomial logistic regression as scikit-learn's LogisticRegression()
 * (C = 1, L2 on the weights, intercepts free): mean cross-entropy plus
 * ||W||² / (2 C n), minimised by plain gradient descent with a fixed step
 * for many thousands of iterations (slow, but needs no Hessian and so
 * shares nothing with the app's Newton solver). Returns theta[c] = [w..., b].
 */
export function softmaxFit(x: Float32Array, y: Float32Array, rows: number, d: number, k: number, C = 1, iterations = 20_000, step = 0.5): number[][] {
  const p = d + 1;
  const theta = Array.from({ length: k }, () => new Array<number>(p).fill(0));
  const data = Array.from({ length: rows }, (_, i) => rowOf(x, d, i));
  for (let it = 0; it < iterations; it++) {
    const grad = Array.from({ length: k }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < rows; i++) {
      const r = data[i]!;
      const z = theta.map((t) => t.reduce((s, v, j) => s + v * r[j]!, 0));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < k; c++) {
        const g = e[c]! / sum - (y[i] === c ? 1 : 0);
        for (let j = 0; j < p; j++) grad[c]![j]! += (g * r[j]!) / rows;
      }
    }
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < p; j++) {
        const penalty = j < d ? theta[c]![j]! / (C * rows) : 0;
        theta[c]![j]! -= step * (grad[c]![j]! + penalty);
      }
    }
  }
  return theta;
}

/** Accuracy and mean log loss of softmax parameters on a split. */
export function softmaxScores(theta: number[][], x: Float32Array, y: Float32Array, rows: number, d: number): { accuracy: number; logLoss: number } {
  let right = 0;
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const r = rowOf(x, d, i);
    const z = theta.map((t) => t.reduce((s, v, j) => s + v * r[j]!, 0));
    const max = Math.max(...z);
    const sum = z.reduce((s, v) => s + Math.exp(v - max), 0);
    const label = y[i]!;
    const best = z.indexOf(max);
    if (best === label) right++;
    loss += -(z[label]! - max - Math.log(sum));
  }
  return { accuracy: right / rows, logLoss: loss / rows };
}
