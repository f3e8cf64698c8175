/**
 * The Models table's columns: which headline metric leads (the task's honest
 * main metric, never accuracy under class imbalance) and how a version's
 * imbalance strategy reads. Pure, so the page and the tests share one rule.
 */
import { MINORITY_WARNING_SHARE } from '../imbalance';
import { fieldOf, type Imbalance, type Task } from '../training';
import { HEADLINE_LABELS } from './run-results';

/** What the table needs to know of a version to pick its columns. */
export interface RegistryVersionFacts {
  task: Task;
  headline: Record<string, number>;
  /** The test split's class supports, when its run is in this browser. */
  evaluation?: { task: Task; n: number; report?: { perClass: readonly { support: number }[] } } | null;
  /** The training split's rebalancing, from the run or lineage.json; null/undefined when unknown. */
  imbalance?: Imbalance | null;
}

export interface RegistryColumns {
  /** The headline key the table leads with. */
  lead: string;
  /** Every headline key any version has, the lead first. */
  metrics: string[];
  /** Whether the lead was chosen for class imbalance. */
  imbalanced: boolean;
}

/** Under imbalance these stay honest (accuracy and ROC AUC flatter a model that ignores the rare class). */
const HONEST_ORDER = ['balancedAccuracy', 'averagePrecision', 'rocAuc', 'logLoss', 'accuracy'];
const PLAIN_ORDER = Object.keys(HEADLINE_LABELS);

/** Whether a test split's smallest class is under MINORITY_WARNING_SHARE (20%) of its rows. */
export function isImbalancedSplit(e: RegistryVersionFacts['evaluation']): boolean {
  if (!e || e.task === 'regression' || e.n <= 0 || !e.report || e.report.perClass.length === 0) return false;
  return Math.min(...e.report.perClass.map((r) => r.support)) / e.n < MINORITY_WARNING_SHARE;
}

/**
 * The metric a task's versions are read by first, as the app's run comparison
 * does: RMSE for regression; balanced accuracy for classification under
 * imbalance; otherwise the run's main metric (ROC AUC for binary, accuracy for multiclass).
 */
export function leadMetric(task: Task, imbalanced: boolean): string {
  if (task === 'regression') return 'rmse';
  if (imbalanced) return 'balancedAccuracy';
  return task === 'binary' ? 'rocAuc' : 'accuracy';
}

/**
 * The columns of one model's table. A model counts as imbalanced when any of
 * its versions' test split is, or any was trained with a rebalancing strategy
 * (an imported version's split is not in this browser, its strategy is).
 */
export function registryColumns(versions: readonly RegistryVersionFacts[]): RegistryColumns {
  const present = new Set(versions.flatMap((v) => Object.keys(v.headline)));
  const classification = versions.filter((v) => v.task !== 'regression');
  const imbalanced = classification.some((v) => isImbalancedSplit(v.evaluation) || (v.imbalance != null && v.imbalance !== 'none'));
  // The newest version's task decides (index 0: versions come newest first).
  const task = versions[0]?.task ?? 'binary';
  const order = imbalanced ? [...HONEST_ORDER, ...PLAIN_ORDER] : PLAIN_ORDER;
  const preferred = leadMetric(task, imbalanced);
  const known = [...new Set(order)].filter((k) => present.has(k));
  const rest = [...present].filter((k) => !known.includes(k));
  const all = [...known, ...rest];
  const lead = present.has(preferred) ? preferred : (all[0] ?? preferred);
  const metrics = all.length === 0 ? [] : [lead, ...all.filter((k) => k !== lead)];
  return { lead, metrics, imbalanced: imbalanced && task !== 'regression' };
}

/** "Class weights (balanced)", "None"; "—" when unknown or for regression. */
export function imbalanceLabel(task: Task, imbalance: Imbalance | null | undefined): string {
  if (task === 'regression' || imbalance == null) return '—';
  const field = fieldOf('imbalance');
  const option = field.kind === 'choice' ? field.options.find((o) => o.value === imbalance) : undefined;
  return option?.label ?? imbalance;
}
