/**
 * How a model version is offered in the Predict and Drift pickers: by its
 * aliases (`heart-logreg@champion`) when it has some, and which version a new
 * cell starts with (the `champion`). Pure, so both cells and the tests share one rule.
 */

/** The alias a new Predict or Drift cell starts with. */
export const CHAMPION_ALIAS = 'champion';

/** What the pickers need of a model version. */
export interface VersionChoice {
  id: string;
  modelName: string;
  version: number;
  createdAt: number;
  /** The aliases pointing at this version (any order). */
  aliases: readonly string[];
}

/** Aliases in reading order: `champion` first, then the rest in code-unit order. */
export function orderedAliases(aliases: readonly string[]): string[] {
  const rest = [...new Set(aliases)].filter((a) => a !== CHAMPION_ALIAS).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return aliases.includes(CHAMPION_ALIAS) ? [CHAMPION_ALIAS, ...rest] : rest;
}

/**
 * A version as a picker shows it: "heart-logreg@champion (v2, 95aacd487968)",
 * "heart-logreg@champion, @staging (v2, 95aacd487968)" with several aliases,
 * "heart-logreg v1 (1f0c2d3e4a5b)" with none.
 */
export function modelVersionLabel(v: Pick<VersionChoice, 'id' | 'modelName' | 'version' | 'aliases'>): string {
  const id = v.id.slice(0, 12);
  const [first, ...more] = orderedAliases(v.aliases);
  if (first === undefined) return `${v.modelName} v${v.version} (${id})`;
  const names = [`${v.modelName}@${first}`, ...more.map((a) => `@${a}`)].join(', ');
  return `${names} (v${v.version}, ${id})`;
}

/**
 * The version a cell should preselect, or null to leave it as it is: nothing
 * when a version is already chosen (the user's choice is never replaced) or
 * no version is a champion; else the champion, the newest one when several
 * models have one.
 */
export function preselectedVersionId(chosen: string | null, versions: readonly VersionChoice[]): string | null {
  if (chosen !== null) return null;
  let best: VersionChoice | null = null;
  for (const v of versions) {
    if (!v.aliases.includes(CHAMPION_ALIAS)) continue;
    if (!best || v.createdAt > best.createdAt || (v.createdAt === best.createdAt && v.id < best.id)) best = v;
  }
  return best?.id ?? null;
}
