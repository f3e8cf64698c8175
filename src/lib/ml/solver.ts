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
 *
 * float32 on the device is the limit on accuracy, so two sums are arranged to lose little:
 * the loss and gradient are summed per chunk of rows on the device and the chunks in
 * float64 on the host (a float32 running sum over 10⁵ rows keeps ~4 digits, chunks of a few
 * hundred keep ~6); and a line-search trial sums the change of each row's loss from the
 * current point, so decreases far below the loss's float32 resolution are still seen.
 */
import * as tf from '@tensorflow/tfjs';
import { centreRows, cholesky, diagonalMean, dot, lbfgsDirection, maxAbs, rememberPair, solveCholesky, type CorrectionPair } from '../core/common';

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
/**
 * Backtracking stops once a step is this small a share of the weights' size: float32 weights
 * on the device no longer see it.
 */
const SMALLEST_STEP = 1e-9;
/**
 * A step that lowers neither the gradient nor the objective by more than this share means the
 * float32 sums are at their floor: the solve ends there (not converged if still above tol).
 */
const STALL = 1e-10;
/** Armijo's sufficient-decrease constant. */
const ARMIJO = 1e-4;
/** L-BFGS memory. */
const MEMORY = 10;
/**
 * Added to the Newton / normal-equation diagonal, relative to its mean. Far below any
 * curvature the data can show (float32 sums resolve ~1e-7), it bounds the steps along
 * directions that are exactly flat (one-hot columns plus the intercept without a penalty)
 * so float32 noise there cannot grow the weights. Newton's fixed point (gradient 0) is unchanged.
 */
const DAMPING = 1e-7;
/** Partial sums: at least this many rows per chunk, at most this many numbers read back. */
const MIN_CHUNK = 256;
const MAX_PARTIALS = 1 << 18;

type Mode = 'loss' | 'grad' | 'hess';

/** The problem kept on the device, padded to m chunks of c rows (padding rows weigh 0). */
interface Problem {
  kind: SolverOptions['kind'];
  d: number;
  p: number;
  K: number;
  size: number;
  m: number;
  c: number;
  xa: tf.Tensor2D;
  xa3: tf.Tensor3D;
  target: tf.Tensor2D;
  w: tf.Tensor2D;
  S: number;
  /** The penalty as (lam / 2)·‖W‖². */
  lam: number;
}

interface Evaluation {
  /** (1/S) Σ s_i loss_i, and the mean objective. */
  dataLoss: number;
  loss: number;
  grad: Float64Array | null;
  hess: Float64Array | null;
  /** s_i·loss_i per row, kept on the device as the reference for the next trials. */
  rowLoss: tf.Tensor;
}

/**
 * Fits a linear model on the whole of x.
 * @param x [n, d] float32 features
 * @param y logistic [n,1] or [n] 0/1; softmax [n] int32 class indices; least-squares [n,1] or [n]
 * @param sampleWeights [n], or null for all ones (class weights are passed multiplied in)
 */
export async function solveLinear(x: tf.Tensor2D, y: tf.Tensor, sampleWeights: tf.Tensor1D | null, options: SolverOptions): Promise<SolverResult> {
  const kind = options.kind;
  const K = kind === 'softmax' ? (options.classes ?? 0) : 1;
  if (kind === 'softmax' && K < 2) throw new Error('A softmax fit needs at least 2 classes.');
  const kept = new Set<tf.Tensor>();
  try {
    const { problem, classSums } = await setUp(x, y, sampleWeights, kind, K, options, kept);
    if (kind === 'least-squares') return await leastSquares(problem, options, kept);
    return await descend(problem, classSums, options, kept);
  } finally {
    for (const t of kept) t.dispose();
  }
}

/** Copies the data to the device in the solver's layout and reads back S and the weighted class sums. */
async function setUp(x: tf.Tensor2D, y: tf.Tensor, sampleWeights: tf.Tensor1D | null, kind: SolverOptions['kind'], K: number, options: SolverOptions, kept: Set<tf.Tensor>) {
  const [n, d] = x.shape;
  if (n === 0) throw new Error('There are no rows to fit.');
  const p = d + 1;
  const size = p * K;
  // m chunks of `chunk` rows: as many as the read-back allows, none shorter than MIN_CHUNK rows.
  const m = Math.max(1, Math.min(Math.ceil(n / MIN_CHUNK), Math.floor(MAX_PARTIALS / size)));
  const chunk = Math.ceil(n / m);
  const pad = m * chunk - n;
  const keep = <T extends tf.Tensor>(t: T): T => (kept.add(t), t);
  const xa = keep(tf.tidy(() => tf.pad(tf.concat([x, tf.ones([n, 1])], 1), [[0, pad], [0, 0]]) as tf.Tensor2D));
  const xa3 = keep(tf.reshape(xa, [m, chunk, p]) as tf.Tensor3D);
  const target = keep(
    tf.tidy(() => {
      const flat = tf.reshape(y, [n]);
      const t = kind === 'softmax' ? tf.oneHot(flat.toInt(), K).toFloat() : tf.reshape(flat.toFloat(), [n, 1]);
      return tf.pad(t, [[0, pad], [0, 0]]) as tf.Tensor2D;
    }),
  );
  const w = keep(tf.tidy(() => tf.pad(sampleWeights ? tf.reshape(sampleWeights, [n, 1]).toFloat() : tf.ones([n, 1]), [[0, pad], [0, 0]]) as tf.Tensor2D));
  const sums = tf.tidy(() => tf.concat([tf.reshape(tf.sum(w), [1]), tf.reshape(tf.sum(tf.mul(target, w), 0), [-1])]));
  const data = await sums.data();
  sums.dispose();
  const S = data[0]!;
  if (!(S > 0)) throw new Error('The sample weights add up to zero: nothing to fit.');
  const C = options.C ?? 1;
  const lam = kind === 'least-squares' ? 2 * (options.l2 ?? 0) : Number.isFinite(C) ? 1 / (C * S) : 0;
  const problem: Problem = { kind, d, p, K, size, m, c: chunk, xa, xa3, target, w, S, lam };
  return { problem, classSums: Float64Array.from(data.subarray(1)) };
}

/** Newton (or L-BFGS) with a backtracking line search, for logistic and softmax regression. */
async function descend(pr: Problem, classSums: Float64Array, options: SolverOptions, kept: Set<tf.Tensor>): Promise<SolverResult> {
  const { d, K, size, S } = pr;
  const newton = size <= (options.newtonMaxParams ?? 2000);
  const theta = new Float64Array(size);
  // Zero weights and the weighted class prior as intercepts: the model that has learned nothing.
  if (K === 1) {
    const share = Math.min(Math.max(classSums[0]! / S, 1e-12), 1 - 1e-12);
    theta[d] = Math.log(share / (1 - share));
  } else {
    for (let k = 0; k < K; k++) theta[d * K + k] = Math.log(Math.max(classSums[k]! / S, 1e-12));
    centreRows(theta, K);
  }
  const track = (e: Evaluation) => (kept.add(e.rowLoss), e);
  const drop = (e: Evaluation) => (kept.delete(e.rowLoss), e.rowLoss.dispose());
  let current = track(await evaluate(pr, theta, newton ? 'hess' : 'grad', null));
  const history: CorrectionPair[] = [];
  let iterations = 0;
  let stopped = false;
  while (iterations < options.maxIter && maxAbs(current.grad!) > options.tol && Number.isFinite(current.loss)) {
    const grad = current.grad!;
    let direction = newton ? newtonDirection(current.hess!, grad) : lbfgsDirection(grad, history);
    // Softmax's columns are free up to a shift common to all classes, on each row of Θ[p, K]: the
    // penalty's optimum has every row summing to 0, so parameters, gradients and steps stay centred.
    if (K > 1) centreRows(direction, K);
    let slope = dot(grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): steepest descent instead.
      direction = Float64Array.from(grad, (g) => -g);
      slope = dot(grad, direction);
    }
    let step = !newton && history.length === 0 ? Math.min(1, 1 / maxAbs(grad)) : 1;
    let next: Evaluation | null = null;
    const trial = new Float64Array(size);
    const tiny = SMALLEST_STEP * Math.max(1, maxAbs(theta));
    const longest = maxAbs(direction);
    for (let h = 0; h <= MAX_HALVINGS && (h === 0 || step * longest > tiny); h++, step /= 2) {
      for (let j = 0; j < size; j++) trial[j] = theta[j]! + step * direction[j]!;
      // Newton's full step is usually accepted: everything at once there, the loss alone on later trials.
      const e = track(await evaluate(pr, trial, newton && h > 0 ? 'loss' : newton ? 'hess' : 'grad', current));
      const armijo = e.loss <= current.loss + ARMIJO * step * slope;
      // Within float32's resolution of the loss, a smaller gradient decides (the gradient sums stay accurate there).
      const flat = e.grad !== null && e.loss - current.loss <= 1e-7 * Math.abs(current.loss) && maxAbs(e.grad) < maxAbs(grad);
      if (!Number.isFinite(e.loss) || !(armijo || flat)) {
        drop(e);
        continue;
      }
      if (e.grad) next = e;
      else {
        next = track(await evaluate(pr, trial, 'hess', current));
        drop(e);
      }
      break;
    }
    if (!next) break; // no decrease to be found: as far as float32 sums can tell, this is the optimum
    if (maxAbs(next.grad!) >= maxAbs(grad) && current.loss - next.loss <= STALL * Math.max(1, Math.abs(current.loss))) {
      drop(next); // no better than where we are: keep the point with the smaller gradient
      break;
    }
    if (!newton) rememberPair(history, theta, trial, grad, next.grad!, MEMORY);
    theta.set(trial);
    drop(current);
    current = next;
    iterations++;
    if (await report(options, iterations, current, theta, d, K)) {
      stopped = true;
      break;
    }
  }
  const gradNorm = maxAbs(current.grad!);
  return { ...unpack(theta, d, K), method: newton ? 'newton' : 'lbfgs', iterations, gradNorm, converged: !stopped && gradNorm <= options.tol, stopped, loss: current.loss };
}

/**
 * Least squares: the normal equations built on the device, factorized once on the host,
 * then refined (the gradient recomputed on the device at the new weights and solved again)
 * because their float32 sums lose digits. Every solve that is kept counts as an iteration.
 */
async function leastSquares(pr: Problem, options: SolverOptions, kept: Set<tf.Tensor>): Promise<SolverResult> {
  const { d, size } = pr;
  let current = await evaluate(pr, new Float64Array(size), 'hess', null);
  kept.add(current.rowLoss);
  const hess = current.hess!;
  const mu = DAMPING * diagonalMean(hess, size);
  for (let j = 0; j < size; j++) hess[j * size + j]! += mu;
  const factor = cholesky(hess, size);
  let theta = new Float64Array(size);
  let iterations = 0;
  let stopped = false;
  // The direct solve and one refinement; more refinements only while the gradient is above tol.
  while (iterations < options.maxIter && (iterations < 2 || maxAbs(current.grad!) > options.tol)) {
    const delta = solveCholesky(factor, current.grad!);
    const trial = Float64Array.from(theta, (t, j) => t - delta[j]!);
    const e = await evaluate(pr, trial, 'grad', current);
    kept.add(e.rowLoss);
    // A refinement that no longer lowers the gradient has reached float32's floor: keep the better point.
    const better = iterations === 0 || maxAbs(e.grad!) < maxAbs(current.grad!);
    const [keep, discard] = better ? [e, current] : [current, e];
    kept.delete(discard.rowLoss);
    discard.rowLoss.dispose();
    if (!better) break;
    theta = trial;
    current = keep;
    iterations++;
    if (await report(options, iterations, current, theta, d, 1)) {
      stopped = true;
      break;
    }
  }
  const gradNorm = maxAbs(current.grad!);
  return { ...unpack(theta, d, 1), method: 'least-squares', iterations, gradNorm, converged: !stopped && gradNorm <= options.tol, stopped, loss: current.loss };
}

/** Calls onIteration with copies of the parameters, then polls stop(). */
async function report(options: SolverOptions, iteration: number, e: Evaluation, theta: Float64Array, d: number, K: number): Promise<boolean> {
  if (options.onIteration) await options.onIteration({ iteration, loss: e.loss, gradNorm: maxAbs(e.grad!), ...unpack(theta, d, K) });
  return options.stop?.() ?? false;
}

/** Solves (H + μI) δ = −g, μ a tiny share of H's diagonal mean. */
function newtonDirection(hess: Float64Array, grad: Float64Array): Float64Array {
  const n = grad.length;
  const mu = DAMPING * diagonalMean(hess, n);
  for (let j = 0; j < n; j++) hess[j * n + j]! += mu;
  const x = solveCholesky(cholesky(hess, n), grad);
  for (let j = 0; j < n; j++) x[j] = -x[j]!;
  return x;
}

/** Kernel (d x K row-major) and biases (softmax: centred to sum 0) from Θ[p, K], as float32 copies. */
function unpack(theta: Float64Array, d: number, K: number): { kernel: Float32Array; bias: Float32Array } {
  const b = theta.slice(d * K, d * K + K);
  if (K > 1) centreRows(b, K);
  return { kernel: Float32Array.from(theta.subarray(0, d * K)), bias: Float32Array.from(b) };
}

/**
 * The objective at θ, and its gradient and Hessian when `mode` asks, from one device pass and
 * one read-back. With a reference evaluation, the data loss is the reference's plus the
 * summed change of every row's loss.
 */
async function evaluate(pr: Problem, theta: Float64Array, mode: Mode, ref: Evaluation | null): Promise<Evaluation> {
  const { m, size, K, S, lam, d } = pr;
  const { packed, rowLoss } = tf.tidy(() => deviceSums(pr, theta, mode, ref?.rowLoss ?? null));
  let data: Float32Array;
  try {
    data = (await packed.data()) as Float32Array;
  } catch (err) {
    rowLoss.dispose();
    throw err;
  } finally {
    packed.dispose();
  }
  let sum = 0;
  for (let i = 0; i < m; i++) sum += data[i]!;
  const dataLoss = (ref?.dataLoss ?? 0) + sum / S;
  let norm = 0;
  for (let j = 0; j < d * K; j++) norm += theta[j]! ** 2;
  const loss = dataLoss + (lam / 2) * norm;
  let grad: Float64Array | null = null;
  let hess: Float64Array | null = null;
  if (mode !== 'loss') {
    grad = new Float64Array(size);
    for (let i = 0; i < m; i++) for (let j = 0; j < size; j++) grad[j]! += data[m + i * size + j]!;
    for (let j = 0; j < size; j++) grad[j] = grad[j]! / S + (j < d * K ? lam * theta[j]! : 0);
    if (K > 1) centreRows(grad, K);
  }
  if (mode === 'hess') hess = unpackHessian(data, m + m * size, pr);
  return { dataLoss, loss, grad, hess, rowLoss };
}

/** The (pK)² Hessian (parameters ordered as Θ[p, K] row-major) from the sums deviceSums wrote, plus the penalty. */
function unpackHessian(data: Float32Array, base: number, pr: Problem): Float64Array {
  const { p, K, size, S, lam, d } = pr;
  const hess = new Float64Array(size * size);
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
  for (let j = 0; j < d * K; j++) hess[j * size + j]! += lam;
  return hess;
}

/**
 * One pass over the rows on the device (call inside tf.tidy): packed = [m partial sums of
 * s·loss (or of its change from `refRowLoss`), m partial gradients (each p·K), then the Hessian
 * sums (p² for one output; K(K+1)/2 blocks of p² for softmax)], and the rows' s·loss.
 */
function deviceSums(pr: Problem, theta: Float64Array, mode: Mode, refRowLoss: tf.Tensor | null): { packed: tf.Tensor; rowLoss: tf.Tensor } {
  const { kind, xa, xa3, target, w, K, p, m, c } = pr;
  const z = tf.matMul(xa, tf.tensor2d(Float32Array.from(theta), [p, K]));
  let loss: tf.Tensor;
  let residual: () => tf.Tensor;
  let curvature: (j: number, k: number) => tf.Tensor;
  if (kind === 'logistic') {
    // log(1 + e^z) − y z without overflow; σ(z) − y and σ(z)σ(−z) without cancelling to 0 far from the boundary.
    loss = tf.add(tf.sub(tf.relu(z), tf.mul(z, target)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    const pos = tf.sigmoid(z);
    const neg = tf.sigmoid(tf.neg(z));
    residual = () => tf.sub(tf.mul(tf.sub(1, target), pos), tf.mul(target, neg));
    curvature = () => tf.mul(pos, neg);
  } else if (kind === 'softmax') {
    const lse = tf.logSumExp(z, 1, true);
    loss = tf.sub(lse, tf.sum(tf.mul(z, target), 1, true));
    const probs = tf.exp(tf.sub(z, lse));
    const cols = mode === 'hess' ? tf.split(probs, K, 1) : [];
    residual = () => tf.sub(probs, target);
    curvature = (j, k) => (j === k ? tf.mul(cols[j]!, tf.sub(1, cols[j]!)) : tf.neg(tf.mul(cols[j]!, cols[k]!)));
  } else {
    const r = tf.sub(z, target);
    loss = tf.square(r);
    residual = () => tf.mul(r, 2);
    curvature = () => tf.fill([xa.shape[0], 1], 2);
  }
  const rowLoss = tf.mul(loss, w);
  const change = refRowLoss ? tf.sub(rowLoss, refRowLoss) : rowLoss;
  const parts: tf.Tensor[] = [tf.sum(tf.reshape(change, [m, c]), 1)];
  if (mode !== 'loss') {
    const rw = tf.reshape(tf.mul(residual(), w), [m, c, K]);
    parts.push(tf.reshape(tf.matMul(xa3, rw, true, false), [-1]));
  }
  if (mode === 'hess') {
    for (let j = 0; j < K; j++) {
      for (let k = j; k < K; k++) {
        // One p x p block at a time, so only one [rows, p] product is alive.
        parts.push(tf.tidy(() => tf.reshape(tf.matMul(xa, tf.mul(xa, tf.mul(curvature(j, k), w)), true, false), [-1])));
      }
    }
  }
  return { packed: tf.concat(parts), rowLoss };
}
