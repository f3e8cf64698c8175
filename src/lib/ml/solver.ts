/**
 * Full-batch solvers for linear models, as scikit-learn fits them:
 * logistic and softmax regression by Newton's method (L-BFGS when there are
 * too many parameters for a Hessian), least squares by a direct solve of the
 * normal equations plus refinement. Every sum over rows (loss, gradient,
 * Hessian) runs on the active TF.js backend in one pass with one read-back;
 * the small systems are solved on the host in float64 (core/linalg).
 *
 * Objectives, with S the sum of the sample weights and W the kernel (the
 * intercepts are never penalized), are scikit-learn's divided by S:
 *   logistic       (1/S) Σ s_i [log(1 + e^{z_i}) − y_i z_i] + ‖W‖² / (2 C S)
 *   softmax        (1/S) Σ s_i [logsumexp(z_i) − z_{i,y_i}]   + ‖W‖² / (2 C S)
 *   least squares  (1/S) Σ s_i (y_i − z_i)²                   + l2 ‖W‖²
 * so `tol` bounds the largest gradient entry exactly as scikit-learn's lbfgs `tol` does.
 */
import * as tf from '@tensorflow/tfjs';
import { choleskySolve, dot, maxAbs } from '../core/linalg';

export interface SolverOptions {
  kind: 'logistic' | 'softmax' | 'least-squares';
  /** softmax: the number of classes K (>= 2). logistic and least-squares have one output. */
  classes?: number;
  /** logistic / softmax: inverse L2 strength as scikit-learn's C (Infinity = no penalty). */
  C?: number;
  /** least-squares: the ridge penalty in mean form; 0 = ordinary least squares. */
  l2?: number;
  /** Stop when the largest absolute entry of the gradient of the mean objective is <= tol. */
  tol: number;
  maxIter: number;
  /** Use Newton while the number of parameters (d+1)*K is at most this; else L-BFGS. Default 2000. */
  newtonMaxParams?: number;
  /** Called after each iteration with the current parameters (copies); may be async. */
  onIteration?: (it: { iteration: number; loss: number; gradNorm: number; kernel: Float32Array; bias: Float32Array }) => void | Promise<void>;
  /** Polled after each iteration: true stops the solve (result.stopped). */
  stop?: () => boolean;
}

export interface SolverResult {
  /** Row-major d x K kernel (K = 1 for logistic and least-squares), and the K biases. */
  kernel: Float32Array;
  bias: Float32Array;
  method: 'newton' | 'lbfgs' | 'least-squares';
  iterations: number;
  /** Largest absolute gradient entry of the mean objective at the returned parameters. */
  gradNorm: number;
  converged: boolean;
  stopped: boolean;
  /** The mean objective at the returned parameters. */
  loss: number;
}

/** Backtracking halvings before a line search gives up. */
const MAX_HALVINGS = 40;
/** Armijo's sufficient-decrease constant. */
const ARMIJO = 1e-4;
/** L-BFGS memory. */
const MEMORY = 10;

interface Evaluation {
  loss: number;
  grad: Float64Array;
  /** (pK)² row-major, parameters ordered as Θ[p, K] row-major; null when not asked for. */
  hess: Float64Array | null;
}

/**
 * Fits a linear model on the whole of x.
 * @param x [n, d] float32 features
 * @param y logistic [n,1] or [n] 0/1; softmax [n] int32 class indices; least-squares [n,1] or [n]
 * @param sampleWeights [n], or null for all ones (class weights are passed multiplied in)
 */
export async function solveLinear(x: tf.Tensor2D, y: tf.Tensor, sampleWeights: tf.Tensor1D | null, options: SolverOptions): Promise<SolverResult> {
  const [n, d] = x.shape;
  const kind = options.kind;
  const K = kind === 'softmax' ? (options.classes ?? 0) : 1;
  if (kind === 'softmax' && K < 2) throw new Error('A softmax fit needs at least 2 classes.');
  const p = d + 1;
  const size = p * K;
  const useNewton = kind === 'least-squares' || size <= (options.newtonMaxParams ?? 2000);
  const method: SolverResult['method'] = kind === 'least-squares' ? 'least-squares' : useNewton ? 'newton' : 'lbfgs';

  // Kept device tensors: the design with its ones column, targets in the form the loss wants, weights.
  const xa = tf.tidy(() => tf.concat([x, tf.ones([n, 1])], 1) as tf.Tensor2D);
  const target = tf.tidy(() => (kind === 'softmax' ? tf.oneHot(tf.reshape(y, [-1]).toInt(), K).toFloat() : tf.reshape(y, [n, 1]).toFloat()));
  const w = tf.tidy(() => (sampleWeights ? tf.reshape(sampleWeights, [n, 1]).toFloat() : tf.ones([n, 1])));
  try {
    const [S, classSums] = await weightSums(w, target, kind);
    // Penalty on the kernel entries only: entry (i, k) of Θ with i < d.
    const penalty = kind === 'least-squares' ? 2 * (options.l2 ?? 0) : Number.isFinite(options.C ?? 1) ? 1 / ((options.C ?? 1) * S) : 0;
    const theta = new Float64Array(size);
    // Logistic / softmax start at the weighted class prior, as a model that has learned nothing would answer.
    if (kind === 'logistic') {
      const share = Math.min(Math.max(classSums[0]! / S, 1e-12), 1 - 1e-12);
      theta[d] = Math.log(share / (1 - share));
    } else if (kind === 'softmax') {
      for (let k = 0; k < K; k++) theta[d * K + k] = Math.log(Math.max(classSums[k]! / S, 1e-12));
    }

    const evaluate = async (t: Float64Array, withHessian: boolean, withGradient = true): Promise<Evaluation> => {
      const out = tf.tidy(() => deviceSums(xa, target, w, t, kind, K, p, withHessian, withGradient));
      const data = await out.data();
      out.dispose();
      let norm = 0;
      for (let i = 0; i < d; i++) for (let k = 0; k < K; k++) norm += t[i * K + k]! ** 2;
      const loss = data[0]! / S + (kind === 'least-squares' ? (options.l2 ?? 0) * norm : (penalty * S * norm) / (2 * S));
      if (!withGradient) return { loss, grad: new Float64Array(0), hess: null };
      const grad = new Float64Array(size);
      for (let j = 0; j < size; j++) grad[j] = data[1 + j]! / S + (j < d * K ? penalty * t[j]! : 0);
      let hess: Float64Array | null = null;
      if (withHessian) {
        hess = new Float64Array(size * size);
        const base = 1 + size;
        if (K === 1) {
          for (let j = 0; j < size * size; j++) hess[j] = data[base + j]! / S;
        } else {
          // Blocks B_jk (j <= k), each p x p, in the order deviceSums wrote them.
          let block = 0;
          for (let j = 0; j < K; j++) {
            for (let k = j; k < K; k++, block++) {
              const off = base + block * p * p;
              for (let a = 0; a < p; a++) {
                for (let b = 0; b < p; b++) {
                  const v = data[off + a * p + b]! / S;
                  hess[(a * K + j) * size + (b * K + k)] = v;
                  hess[(b * K + k) * size + (a * K + j)] = v;
                }
              }
            }
          }
        }
        for (let j = 0; j < d * K; j++) hess[j * size + j]! += penalty;
      }
      return { loss, grad, hess };
    };

    let current = await evaluate(theta, useNewton);
    let iterations = 0;
    let stopped = false;
    const history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
    while (iterations < options.maxIter && maxAbs(current.grad) > options.tol && Number.isFinite(current.loss)) {
      // The search direction: Newton's (solve H δ = −g) or L-BFGS's two-loop recursion.
      const direction = useNewton ? newtonDirection(current) : lbfgsDirection(current.grad, history);
      let slope = dot(current.grad, direction);
      if (!(slope < 0)) {
        // Not a descent direction (numerical trouble): fall back to steepest descent.
        for (let j = 0; j < size; j++) direction[j] = -current.grad[j]!;
        slope = dot(current.grad, direction);
      }
      let step = !useNewton && history.length === 0 ? Math.min(1, 1 / Math.max(maxAbs(current.grad), 1e-12)) : 1;
      // float32 sums over many rows are noisy in their last digits: allow that much rise.
      const slack = 1e-6 * Math.max(1, Math.abs(current.loss));
      let next: Evaluation | null = null;
      let trial = new Float64Array(size);
      for (let h = 0; h <= MAX_HALVINGS; h++) {
        for (let j = 0; j < size; j++) trial[j] = theta[j]! + step * direction[j]!;
        // The full step is usually accepted: evaluate everything there at once; cheaper loss-only trials after a rejection.
        const e = await evaluate(trial, useNewton && h === 0, h === 0);
        if (Number.isFinite(e.loss) && e.loss <= current.loss + ARMIJO * step * slope + slack) {
          next = h === 0 ? e : await evaluate(trial, useNewton);
          break;
        }
        step /= 2;
      }
      if (!next) break; // no decrease possible: as good as float32 sums can tell
      if (!useNewton) {
        const s = new Float64Array(size);
        const yv = new Float64Array(size);
        for (let j = 0; j < size; j++) {
          s[j] = trial[j]! - theta[j]!;
          yv[j] = next.grad[j]! - current.grad[j]!;
        }
        const sy = dot(s, yv);
        if (sy > 1e-12) {
          history.push({ s, y: yv, rho: 1 / sy });
          if (history.length > MEMORY) history.shift();
        }
      }
      theta.set(trial);
      trial = new Float64Array(size);
      current = next;
      iterations++;
      if (options.onIteration) {
        const { kernel, bias } = unpack(theta, d, K, kind === 'softmax');
        await options.onIteration({ iteration: iterations, loss: current.loss, gradNorm: maxAbs(current.grad), kernel, bias });
      }
      if (options.stop?.()) {
        stopped = true;
        break;
      }
    }
    const gradNorm = maxAbs(current.grad);
    const { kernel, bias } = unpack(theta, d, K, kind === 'softmax');
    return { kernel, bias, method, iterations, gradNorm, converged: !stopped && gradNorm <= options.tol, stopped, loss: current.loss };
  } finally {
    xa.dispose();
    target.dispose();
    w.dispose();
  }
}

/** Solves H δ = −g. */
function newtonDirection(e: Evaluation): Float64Array {
  const g = e.grad;
  const neg = new Float64Array(g.length);
  for (let j = 0; j < g.length; j++) neg[j] = -g[j]!;
  return choleskySolve(e.hess!, neg, g.length).x;
}

/** −H⁻¹g by L-BFGS's two-loop recursion over the stored pairs. */
function lbfgsDirection(grad: Float64Array, history: readonly { s: Float64Array; y: Float64Array; rho: number }[]): Float64Array {
  const q = Float64Array.from(grad);
  const alpha: number[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    const a = h.rho * dot(h.s, q);
    alpha[i] = a;
    for (let j = 0; j < q.length; j++) q[j]! -= a * h.y[j]!;
  }
  const last = history[history.length - 1];
  const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1;
  for (let j = 0; j < q.length; j++) q[j]! *= gamma;
  for (let i = 0; i < history.length; i++) {
    const h = history[i]!;
    const b = h.rho * dot(h.y, q);
    for (let j = 0; j < q.length; j++) q[j]! += h.s[j]! * (alpha[i]! - b);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
  return q;
}

/** Kernel (d x K row-major) and biases from Θ[p, K]; softmax biases centred to sum 0 (their common shift is free). */
function unpack(theta: Float64Array, d: number, K: number, centre: boolean): { kernel: Float32Array; bias: Float32Array } {
  const kernel = Float32Array.from(theta.subarray(0, d * K));
  const b = Array.from(theta.subarray(d * K, d * K + K));
  const mean = centre ? b.reduce((s, v) => s + v, 0) / K : 0;
  return { kernel, bias: Float32Array.from(b, (v) => v - mean) };
}

/** S = Σ s_i, and the weighted class sums (logistic: Σ s_i y_i; softmax: per class). */
async function weightSums(w: tf.Tensor, target: tf.Tensor, kind: SolverOptions['kind']): Promise<[number, Float32Array]> {
  const t = tf.tidy(() => tf.concat([tf.reshape(tf.sum(w), [1]), tf.reshape(tf.sum(tf.mul(target, w), 0), [-1])]));
  const data = (await t.data()) as Float32Array;
  t.dispose();
  const S = data[0]!;
  if (!(S > 0)) throw new Error('The sample weights add up to zero: nothing to fit.');
  return [S, kind === 'least-squares' ? new Float32Array(0) : data.subarray(1)];
}

/**
 * One pass over the rows on the device, flattened for a single read-back:
 * [Σ s·loss, Σ s·gradient (p·K), and the Hessian sums (p² for one output;
 * K(K+1)/2 blocks of p² for softmax)]. Call inside tf.tidy.
 */
function deviceSums(xa: tf.Tensor2D, target: tf.Tensor, w: tf.Tensor, theta: Float64Array, kind: SolverOptions['kind'], K: number, p: number, withHessian: boolean, withGradient: boolean): tf.Tensor {
  const z = tf.matMul(xa, tf.tensor2d(Float32Array.from(theta), [p, K]));
  let rowLoss: tf.Tensor;
  let residual: tf.Tensor;
  let probs: tf.Tensor | null = null;
  if (kind === 'logistic') {
    // log(1 + e^z) − y z without overflow: max(z, 0) − y z + log(1 + e^{−|z|}).
    rowLoss = tf.add(tf.sub(tf.relu(z), tf.mul(z, target)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    probs = tf.sigmoid(z);
    residual = tf.sub(probs, target);
  } else if (kind === 'softmax') {
    const lse = tf.logSumExp(z, 1, true);
    rowLoss = tf.sub(lse, tf.sum(tf.mul(z, target), 1, true));
    probs = tf.exp(tf.sub(z, lse));
    residual = tf.sub(probs, target);
  } else {
    const r = tf.sub(z, target);
    rowLoss = tf.square(r);
    residual = tf.mul(r, 2);
  }
  const parts: tf.Tensor[] = [tf.reshape(tf.sum(tf.mul(rowLoss, w)), [1])];
  if (withGradient) parts.push(tf.reshape(tf.matMul(xa, tf.mul(residual, w), true, false), [-1]));
  if (withHessian) {
    const weighted = (c: tf.Tensor) => tf.reshape(tf.matMul(xa, tf.mul(xa, tf.mul(c, w)), true, false), [-1]);
    if (kind === 'least-squares') parts.push(weighted(tf.fill([xa.shape[0], 1], 2)));
    else if (kind === 'logistic') parts.push(weighted(tf.mul(probs!, tf.sub(1, probs!))));
    else {
      const cols = tf.split(probs!, K, 1);
      for (let j = 0; j < K; j++) {
        for (let k = j; k < K; k++) {
          const c = j === k ? tf.mul(cols[j]!, tf.sub(1, cols[j]!)) : tf.neg(tf.mul(cols[j]!, cols[k]!));
          parts.push(weighted(c));
        }
      }
    }
  }
  return tf.concat(parts);
}
