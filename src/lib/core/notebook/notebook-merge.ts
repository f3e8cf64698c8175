/**
 * Merging a notebook's cells when two tabs edited it from the same stored
 * revision (a three-way merge against that revision, `base`).
 *
 * Rules, per cell:
 * - changed on one side only: that side's cell;
 * - changed on both sides: the later edit wins (by each side's `editedAt`);
 * - added on either side: kept, placed after the cell it followed there;
 * - deleted on one side and left alone on the other: deleted;
 * - deleted on one side and edited on the other: the edit is kept (nothing typed is lost).
 * The order is the side's that reordered cells, or `theirs` when neither or both did.
 */
import type { Cell } from './notebook';

export type EditTimes = Readonly<Record<string, number>>;

export interface MergeResult {
  cells: Cell[];
  editedAt: Record<string, number>;
  /** Cells whose content now comes from the other side and differs from ours ("changed in another tab"). */
  fromTheirs: string[];
  /** Of those, cells where our own edit lost to a later edit made elsewhere. */
  overwritten: string[];
}

function same(a: Cell | undefined, b: Cell | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.kind === b.kind && JSON.stringify(a.config) === JSON.stringify(b.config) && JSON.stringify(a.lastRun) === JSON.stringify(b.lastRun);
}

function byId(cells: readonly Cell[]): Map<string, Cell> {
  return new Map(cells.map((c) => [c.id, c]));
}

/** The ids common to `cells` and `keep`, in `cells`' order. */
function orderOf(cells: readonly Cell[], keep: ReadonlySet<string>): string[] {
  return cells.map((c) => c.id).filter((id) => keep.has(id));
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Inserts ids missing from `order` after the id that precedes them in `source` (or first), after the other side's additions there. */
function placeMissing(order: string[], source: readonly Cell[], include: ReadonlySet<string>): string[] {
  const out = [...order];
  const inSource = new Set(source.map((c) => c.id));
  let previous: string | null = null;
  for (const cell of source) {
    if (include.has(cell.id) && !out.includes(cell.id)) {
      let at = previous === null ? 0 : out.indexOf(previous) + 1;
      // After the cells the other side added at the same place: theirs came first.
      while (at < out.length && !inSource.has(out[at] as string)) at += 1;
      out.splice(at, 0, cell.id);
    }
    if (out.includes(cell.id)) previous = cell.id;
  }
  return out;
}

export function mergeCells(
  base: readonly Cell[],
  mine: readonly Cell[],
  theirs: readonly Cell[],
  mineEdited: EditTimes,
  theirsEdited: EditTimes,
): MergeResult {
  const [b, m, t] = [byId(base), byId(mine), byId(theirs)];
  const ids = new Set([...t.keys(), ...m.keys()]);
  const chosen = new Map<string, Cell>();
  const editedAt: Record<string, number> = {};
  const fromTheirs: string[] = [];
  const overwritten: string[] = [];

  for (const id of ids) {
    const [bc, mc, tc] = [b.get(id), m.get(id), t.get(id)];
    const mineChanged = mc !== undefined && !same(mc, bc);
    const theirsChanged = tc !== undefined && !same(tc, bc);
    let pick: Cell | undefined;
    if (mc && tc) {
      if (same(mc, tc) || !theirsChanged) pick = mc;
      else if (!mineChanged) pick = tc;
      else pick = (theirsEdited[id] ?? 0) > (mineEdited[id] ?? 0) ? tc : mc;
      if (pick === tc && !same(mc, tc)) {
        fromTheirs.push(id);
        if (mineChanged) overwritten.push(id);
      }
    } else if (mc) {
      // Absent from theirs: new here, or deleted there (kept only if edited here since).
      pick = !bc || mineChanged ? mc : undefined;
    } else if (tc) {
      // Absent from mine: new there, or deleted here (kept only if edited there since).
      pick = !bc || theirsChanged ? tc : undefined;
      if (pick) fromTheirs.push(id);
    }
    if (!pick) continue;
    chosen.set(id, pick);
    const at = Math.max(mineEdited[id] ?? 0, theirsEdited[id] ?? 0);
    if (at > 0) editedAt[id] = at;
  }

  const kept = new Set(chosen.keys());
  const baseOrder = orderOf(base, kept);
  const mineReordered = !sameOrder(orderOf(mine, new Set(baseOrder)), baseOrder);
  const theirsReordered = !sameOrder(orderOf(theirs, new Set(baseOrder)), baseOrder);
  const [lead, other] = mineReordered && !theirsReordered ? [mine, theirs] : [theirs, mine];
  const order = placeMissing(orderOf(lead, kept), other, kept);
  return { cells: order.map((id) => chosen.get(id) as Cell), editedAt, fromTheirs, overwritten };
}
