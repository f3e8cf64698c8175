/**
 * What the Evaluate models cell shows, as plain data: the model picker's
 * options, numbers with their intervals, the chart of the paired differences,
 * the rollout rehearsal's rows. Pure (no Svelte, no storage).
 */
import { formatMetric } from '../core/common';
import { plotText, type Figure } from '../core/charts';
import { metricInfo, type ChallengerComparison, type EvaluateTask, type Interval, type MetricKey, type MetricValue, type Rehearsal } from '../core/evaluate';
import type { ModelRef } from '../core/notebook';

export interface RefOption {
  /** The select's value: the reference as JSON. */
  value: string;
  label: string;
}

export interface RefOptionGroups {
  aliases: RefOption[];
  versions: RefOption[];
  cells: RefOption[];
}

export const refValue = (ref: ModelRef): string => JSON.stringify(ref);

/** A select's value back as a reference (null when it is not one). */
export function parseRefValue(value: string): ModelRef | null {
  try {
    const o = JSON.parse(value) as Partial<Record<string, unknown>>;
    if (o.kind === 'version' && typeof o.versionId === 'string') return { kind: 'version', versionId: o.versionId };
    if (o.kind === 'alias' && typeof o.modelName === 'string' && typeof o.alias === 'string') return { kind: 'alias', modelName: o.modelName, alias: o.alias };
    if (o.kind === 'cell' && typeof o.cellId === 'string') return { kind: 'cell', cellId: o.cellId };
  } catch {
    // not a reference
  }
  return null;
}

interface ModelFacts {
  model: { name: string; aliases: Record<string, string> };
  versions: { id: string; version: number }[];
}

/**
 * Every alias of every model ("heart model@champion (v2)"), every version
 * ("heart model v2"), and the newest model of each train cell above
 * ("newest model of train cell 3 (heart v4)").
 */
export function refOptions(models: readonly ModelFacts[], trainCells: readonly { cellId: string; position: number; current: string | null }[]): RefOptionGroups {
  const aliases: RefOption[] = [];
  const versions: RefOption[] = [];
  for (const m of models) {
    const number = (id: string) => m.versions.find((v) => v.id === id)?.version;
    for (const alias of Object.keys(m.model.aliases).sort()) {
      const n = number(m.model.aliases[alias]!);
      aliases.push({ value: refValue({ kind: 'alias', modelName: m.model.name, alias }), label: `${m.model.name}@${alias}${n === undefined ? '' : ` (v${n})`}` });
    }
    for (const v of [...m.versions].sort((a, b) => b.version - a.version)) {
      versions.push({ value: refValue({ kind: 'version', versionId: v.id }), label: `${m.model.name} v${v.version}` });
    }
  }
  const cells = trainCells.map((c) => ({
    value: refValue({ kind: 'cell', cellId: c.cellId }),
    label: `newest model of train cell ${c.position}${c.current ? ` (${c.current})` : ' (none yet)'}`,
  }));
  return { aliases, versions, cells };
}

/** "0.8123 [0.7950, 0.8301]"; "—" for an undefined interval. */
export function withInterval(value: number, interval: Interval, digits = 4): string {
  const ok = Number.isFinite(interval.low) && Number.isFinite(interval.high);
  return `${formatMetric(value, digits)} ${ok ? `[${formatMetric(interval.low, digits)}, ${formatMetric(interval.high, digits)}]` : '[—]'}`;
}

/** "ROC AUC", "log loss (lower is better)". */
export function metricName(metric: MetricKey): string {
  const { label, lowerIsBetter } = metricInfo(metric);
  const capital = label.charAt(0).toUpperCase() + label.slice(1);
  return lowerIsBetter ? `${capital} (lower is better)` : capital;
}

/** The metric a rehearsal row shows: ROC AUC, accuracy or RMSE. */
export function mainMetricOf(task: EvaluateTask): MetricKey {
  return task === 'binary' ? 'rocAuc' : task === 'multiclass' ? 'accuracy' : 'rmse';
}

const valueOf = (values: readonly MetricValue[] | undefined, metric: MetricKey) => values?.find((m) => m.metric === metric)?.value ?? NaN;

export interface RehearsalRow {
  strategy: string;
  servedByChampion: number;
  servedByChallenger: number;
  championArm: number;
  /** The challenger's arm; under shadow its metric on every row (scored, not served). */
  challengerArm: number;
  served: number;
  championAlone: number;
}

/** One row per strategy: "Shadow", "Canary (5% to the challenger)", "A/B (50% to the challenger)". */
export function rehearsalRows(rehearsals: readonly Rehearsal[], metric: MetricKey): RehearsalRow[] {
  return rehearsals.map((r) => {
    const s = r.strategy;
    const pct = (share: number | undefined) => `${Math.round((share ?? 0) * 1000) / 10}%`;
    const strategy = s.kind === 'shadow' ? 'Shadow (champion serves, challenger scored)' : s.kind === 'canary' ? `Canary (${pct(s.share)} to the challenger)` : `A/B (${pct(s.share)} to the challenger)`;
    const arm = (which: 'champion' | 'challenger') => valueOf(r.arms.find((a) => a.arm === which)?.metrics, metric);
    return {
      strategy,
      servedByChampion: r.counts.servedByChampion,
      servedByChallenger: r.counts.servedByChallenger,
      championArm: arm('champion'),
      challengerArm: s.kind === 'shadow' ? valueOf(r.shadow?.metrics, metric) : arm('challenger'),
      served: valueOf(r.served, metric),
      championAlone: valueOf(r.championAlone, metric),
    };
  });
}

const COLOURS = ['#1f5fa8', '#b35806', '#2d7f3a', '#7b3294'];

/**
 * The paired differences (challenger − champion) of every metric with their
 * 95% intervals as horizontal error bars, one trace per challenger, and a
 * dashed line at 0: a bar clear of the line is a difference the verdict calls.
 */
export function differencesFigure(comparisons: readonly ChallengerComparison[]): Figure {
  const first = comparisons[0];
  const metrics = first ? first.differences.map((d) => metricName(d.metric)) : [];
  const data = comparisons.map((c, i) => {
    const d = c.differences;
    const finite = (v: number) => (Number.isFinite(v) ? v : 0);
    return {
      type: 'scatter',
      mode: 'markers',
      name: plotText(c.challenger),
      x: d.map((x) => x.difference),
      y: metrics.map(plotText),
      error_x: {
        type: 'data',
        symmetric: false,
        array: d.map((x) => finite(x.interval.high - x.difference)),
        arrayminus: d.map((x) => finite(x.difference - x.interval.low)),
        visible: true,
        color: COLOURS[i % COLOURS.length],
      },
      marker: { color: COLOURS[i % COLOURS.length], size: 8 },
      hovertemplate: '%{y}: %{x:.4f}<extra>%{fullData.name}</extra>',
    };
  });
  return {
    data,
    layout: {
      margin: { l: 200, r: 16, t: 36, b: 50 },
      height: Math.max(200, 60 + 34 * metrics.length),
      font: { size: 11 },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      showlegend: comparisons.length > 1,
      title: { text: 'Challenger − champion, with 95% intervals', font: { size: 13 } },
      xaxis: { title: { text: 'difference (challenger − champion)' }, zeroline: false },
      yaxis: { type: 'category', automargin: true, autorange: 'reversed' },
      shapes: [{ type: 'line', xref: 'x', x0: 0, x1: 0, yref: 'paper', y0: 0, y1: 1, line: { color: '#333', width: 1, dash: 'dash' } }],
    },
  };
}

/** The chart's text alternative: every difference with its interval and verdict. */
export function differencesLabel(comparisons: readonly ChallengerComparison[]): string {
  return comparisons
    .map((c) => `${c.challenger} against ${c.champion}: ${c.differences.map((d) => `${metricInfo(d.metric).label} ${withInterval(d.difference, d.interval)}`).join('; ')}.`)
    .join(' ');
}
