/**
 * Exact k-nearest-neighbour search within one class, for SMOTE / SMOTE-NC:
 * a k-d tree over the numeric columns (ordered by falling variance so a
 * partial distance passes the current k-th best early), plus imblearn's
 * SMOTENC cost for each differing one-hot block. Ties go to the lower row.
 */

/** One class's rows as the neighbour search sees them. */
export interface ClassFeatures {
  m: number;
  /** m × dn numeric values, columns by falling variance (so partial sums abandon early). */
  num: Float64Array;
  dn: number;
  /** m × nb: the set column's position in each block, -1 when none is set. */
  cat: Int32Array;
  nb: number;
  /** Squared-distance cost of one differing block (SMOTE-NC). */
  penalty: number;
}

export function classFeatures(x: Float32Array, cols: number, members: number[], numeric: number[], blocks: number[][]): ClassFeatures {
  const m = members.length;
  const mean = numeric.map((j) => members.reduce((s, r) => s + x[r * cols + j]!, 0) / m);
  const variance = numeric.map((j, q) => members.reduce((s, r) => s + (x[r * cols + j]! - mean[q]!) ** 2, 0) / m);
  const order = numeric.map((_, q) => q).sort((a, b) => variance[b]! - variance[a]! || a - b);
  const dn = numeric.length;
  const num = new Float64Array(m * dn);
  const nb = blocks.length;
  const cat = new Int32Array(m * nb).fill(-1);
  members.forEach((r, i) => {
    order.forEach((q, d) => {
      num[i * dn + d] = x[r * cols + numeric[q]!]!;
    });
    blocks.forEach((block, b) => {
      for (let v = 0; v < block.length; v++) {
        if (x[r * cols + block[v]!] === 1) {
          cat[i * nb + b] = v;
          break;
        }
      }
    });
  });
  const stds = variance.map(Math.sqrt).sort((a, b) => a - b);
  const med = dn === 0 ? 1 : dn % 2 ? stds[(dn - 1) / 2]! : (stds[dn / 2 - 1]! + stds[dn / 2]!) / 2;
  return { m, num, dn, cat, nb, penalty: (med * med) / 2 };
}

/** Rows per k-d tree leaf: small enough to prune, large enough to keep the tree shallow. */
const LEAF = 12;

/** A k-d tree over the numeric columns: node n covers order[lo[n], hi[n]); dim < 0 marks a leaf. */
interface KdTree {
  order: Int32Array;
  lo: number[];
  hi: number[];
  dim: number[];
  split: number[];
  left: number[];
  right: number[];
}

function buildTree(num: Float64Array, m: number, dn: number): KdTree {
  const t: KdTree = { order: Int32Array.from({ length: m }, (_, i) => i), lo: [], hi: [], dim: [], split: [], left: [], right: [] };
  const grow = (lo: number, hi: number): number => {
    const n = t.lo.length;
    t.lo.push(lo);
    t.hi.push(hi);
    t.dim.push(-1);
    t.split.push(0);
    t.left.push(-1);
    t.right.push(-1);
    if (hi - lo <= LEAF) return n;
    // Split the widest column at its median (rows on the split value may fall on either side: bounds stay valid).
    let best = -1;
    let width = 0;
    for (let q = 0; q < dn; q++) {
      let min = Infinity;
      let max = -Infinity;
      for (let p = lo; p < hi; p++) {
        const v = num[t.order[p]! * dn + q]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max - min > width) {
        width = max - min;
        best = q;
      }
    }
    if (best < 0) return n; // all rows equal on every numeric column
    t.order.subarray(lo, hi).sort((a, b) => num[a * dn + best]! - num[b * dn + best]! || a - b);
    const mid = (lo + hi) >> 1;
    t.dim[n] = best;
    t.split[n] = num[t.order[mid]! * dn + best]!;
    t.left[n] = grow(lo, mid);
    t.right[n] = grow(mid, hi);
    return n;
  };
  grow(0, m);
  return t;
}

/**
 * The `kk` nearest other rows of every row (m × kk, nearest first; equal
 * distances by lower row). Exact, but not brute force over every pair: a k-d
 * tree on the numeric columns gives a lower bound for each subtree (one-hot
 * blocks only add to a distance), subtrees past the current kk-th best are
 * skipped, and a distance stops summing once it passes that best.
 */
export function nearestNeighbours(f: ClassFeatures, kk: number): Int32Array {
  const { m, num, dn, cat, nb, penalty } = f;
  const tree = buildTree(num, m, dn);
  const result = new Int32Array(m * kk);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  const offset = new Float64Array(dn);
  let i = 0;
  let found = 0;

  const visit = (p: number): void => {
    const j = tree.order[p]!;
    if (j === i) return;
    const worst = found === kk ? bestD[kk - 1]! : Infinity;
    let d = 0;
    for (let b = 0; b < nb; b++) if (cat[i * nb + b] !== cat[j * nb + b]) d += penalty;
    const oi = i * dn;
    const oj = j * dn;
    for (let q = 0; q < dn && d <= worst; q++) {
      const t = num[oi + q]! - num[oj + q]!;
      d += t * t;
    }
    if (d > worst || (d === worst && j > bestI[kk - 1]!)) return;
    // Insert into the kk best, ordered by (distance, row).
    let at = found < kk ? found++ : kk - 1;
    while (at > 0 && (bestD[at - 1]! > d || (bestD[at - 1] === d && bestI[at - 1]! > j))) {
      bestD[at] = bestD[at - 1]!;
      bestI[at] = bestI[at - 1]!;
      at--;
    }
    bestD[at] = d;
    bestI[at] = j;
  };

  // `bound` is the squared distance from row i to the node's box (Arya & Mount's incremental form).
  const search = (n: number, bound: number): void => {
    const dim = tree.dim[n]!;
    if (dim < 0) {
      for (let p = tree.lo[n]!; p < tree.hi[n]!; p++) visit(p);
      return;
    }
    const diff = num[i * dn + dim]! - tree.split[n]!;
    search(diff <= 0 ? tree.left[n]! : tree.right[n]!, bound);
    const old = offset[dim]!;
    const far = bound - old * old + diff * diff;
    // A little slack for rounding: a tie on the boundary may still win on the lower row index.
    if (found < kk || far <= bestD[kk - 1]! * (1 + 1e-9)) {
      offset[dim] = diff;
      search(diff <= 0 ? tree.right[n]! : tree.left[n]!, far);
      offset[dim] = old;
    }
  };

  for (i = 0; i < m; i++) {
    found = 0;
    search(0, 0);
    result.set(bestI, i * kk);
  }
  return result;
}
