/**
 * The fairness report as a model-card section (Markdown): per attribute, the
 * groups' rates before and after training and the gaps against the rest with
 * their intervals and flags, Clarify's names beside ours. User text (column
 * names, group labels, the favourable label) is escaped.
 */
import { formatCount, formatMetric } from '../common';
import { escapeMarkdown } from '../models';
import { GAP_METRICS, gapMetricInfo, PRE_TRAINING_METRICS } from './fairness-metrics';
import { MIN_GROUP_ROWS } from './fairness-report';
import type { AttributeReport, FairnessReport, GroupGap } from './fairness-types';

/** A value with 3 decimals; "infinite" or "not defined" when not finite. */
function num(v: number): string {
  if (v === Infinity || v === -Infinity) return v > 0 ? 'infinite' : '−infinite';
  if (!Number.isFinite(v)) return 'not defined';
  const s = formatMetric(v, 3);
  return s === '-0.000' ? '0.000' : s;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

/** "flagged", "too few rows" or "no"; disparate impact adds "below 4/5" when it is. */
export function flagWord(gap: GroupGap): string {
  const word = gap.flagged ? 'flagged' : gap.tooSmall ? 'too few rows' : 'no';
  return gap.fourFifths ? `${word}; below 4/5` : word;
}

function clarifyName(metric: GroupGap['metric']): string {
  const info = gapMetricInfo(metric);
  return info.clarify ? info.clarify.acronym : escapeMarkdown(info.otherName ?? '');
}

function interval(gap: GroupGap): string {
  const { low, high } = gap.interval;
  return Number.isNaN(low) || Number.isNaN(high) ? 'not defined' : `[${num(low)}, ${num(high)}]`;
}

function attributeSection(a: AttributeReport): string[] {
  const column = escapeMarkdown(a.grouping.column);
  const edges = a.grouping.edges;
  const how = a.grouping.kind === 'binned' && edges ? `in ${edges.length - 1} quantile bins` : 'by value';
  const pre = PRE_TRAINING_METRICS;
  return [
    `### ${column} (${how})`,
    '',
    'Before training (the dataset\'s labels):',
    '',
    ...table(
      ['Group', 'Rows', `${pre.classImbalance.label} (${pre.classImbalance.clarify.acronym})`, `${pre.labelDifference.label} (${pre.labelDifference.clarify.acronym})`],
      a.preTraining.map((p) => [escapeMarkdown(p.group), formatCount(p.size) + (p.tooSmall ? ' (too few)' : ''), num(p.classImbalance), num(p.labelDifference)]),
    ),
    '',
    'After training (the test split):',
    '',
    ...table(
      ['Group', 'Rows', 'Label rate', 'Selection rate', 'Recall (TPR)', 'False positive rate', 'Precision', 'Accuracy'],
      a.groups.map((g) => [
        escapeMarkdown(g.group),
        formatCount(g.size) + (g.tooSmall ? ' (too few)' : ''),
        num(g.labelRate),
        num(g.selectionRate),
        num(g.recall),
        num(g.falsePositiveRate),
        num(g.precision),
        num(g.accuracy),
      ]),
    ),
    '',
    'Gaps, each group against the rest of the test rows:',
    '',
    ...table(
      ['Group', 'Metric', 'Clarify', 'Value', '95% interval', 'Neutral', 'Flag'],
      a.gaps.map((g) => [escapeMarkdown(g.group), gapMetricInfo(g.metric).label, clarifyName(g.metric), num(g.value), interval(g), String(g.neutral), flagWord(g)]),
    ),
    '',
  ];
}

/**
 * How the report's predictions were decided, in words: "decision threshold 0.500" for a binary
 * model, "the most probable class" for a multiclass one (its report has no threshold: NaN, or
 * null once it went through JSON).
 */
export function decisionWords(threshold: number | null): string {
  return typeof threshold === 'number' && Number.isFinite(threshold) ? `decision threshold ${threshold.toFixed(3)}` : 'the most probable class';
}

/** The report as a Markdown section ("## Fairness", then "### <attribute>" per attribute). */
export function fairnessMarkdown(report: FairnessReport): string {
  const { config } = report;
  const lines = [
    '## Fairness',
    '',
    `Favourable label: ${escapeMarkdown(config.favourable)}; predictions by ${decisionWords(report.threshold)}. ` +
      `Before training: ${formatCount(report.datasetRows)} dataset rows with a label; after training: ${formatCount(report.testRows)} test rows.`,
    '',
    "Each group (Clarify's facet d) is compared with the rest of the rows (facet a): differences are rest − group, " +
      `disparate impact is group / rest. Intervals are 95% percentile bootstrap intervals over ${formatCount(config.resamples)} resamples ` +
      `of the test rows (seed ${config.seed}). A gap is flagged when its interval excludes the neutral value and both the group ` +
      `and the rest have at least ${MIN_GROUP_ROWS} test rows; smaller groups are shown but never flagged.`,
    '',
    `- ${PRE_TRAINING_METRICS.classImbalance.label} (Clarify ${PRE_TRAINING_METRICS.classImbalance.clarify.acronym}): ${escapeMarkdown(PRE_TRAINING_METRICS.classImbalance.meaning)}`,
    `- ${PRE_TRAINING_METRICS.labelDifference.label} (Clarify ${PRE_TRAINING_METRICS.labelDifference.clarify.acronym}): ${escapeMarkdown(PRE_TRAINING_METRICS.labelDifference.meaning)}`,
    ...GAP_METRICS.map((m) => {
      const name = m.clarify ? `Clarify ${m.clarify.acronym}, ${m.clarify.name}` : (m.otherName ?? '');
      return `- ${m.label} (${escapeMarkdown(name)}): ${escapeMarkdown(m.meaning)}`;
    }),
    '',
  ];
  if (report.attributes.length === 0) lines.push('No sensitive attribute was chosen.', '');
  for (const a of report.attributes) lines.push(...attributeSection(a));
  return lines.join('\n');
}
