/**
 * The leaderboard: every strategy's metrics on the same held-out alerts, against every label
 * source present, ranked by ROC-AUC on the most trustworthy source (the truth file, else explicit
 * labels, else evolution labels, the validator's own outcome over the next 30 days, else address
 * labels, else the proxy rule). Each entry carries its notes (leakage
 * overrides, separating features, warnings) so the board says how a number was obtained.
 * Plain data plus a text rendering for the CLI; the browser view renders the same data.
 */
import type { CalibrationMapping, CalibrationMethod } from '../calibration/mapping.ts';
import type { ReliabilityBin } from './calibration.ts';
import type { SourceMetrics } from './evaluate.ts';

export const SOURCE_ORDER = ['truth', 'explicit', 'evolution', 'address-labels', 'proxy'] as const;
export type SourceName = (typeof SOURCE_ORDER)[number];

export interface SourceInfo {
  name: SourceName;
  description: string;
  /** Held-out alerts with a label from this source, and how many are positive. */
  labelled: number;
  positives: number;
}

export interface BoardEntry {
  strategy: string;
  kind: string;
  scoreKind: 'probability' | 'anomaly';
  modelVersion: string;
  /** Feature columns the model saw. */
  features: number;
  metrics: Partial<Record<SourceName, SourceMetrics>>;
  notes: string[];
  /** Set when the strategy could not run; its metrics are then empty. */
  error?: string;
  /** Set when the user cancelled the strategy's run (how far it got); its metrics are then empty. */
  cancelled?: string;
  /** Set when the data lacks the strategy's inputs (why); not a failure, its metrics are then empty. */
  skipped?: string;
  /** How its scores map to probabilities, and Brier and reliability before and after, per source. */
  calibration?: EntryCalibration;
  seconds: { fit: number; score: number };
  /** Per feature, most important first (tree models: total split gain). */
  importance?: { feature: string; gain: number }[];
}

/** A finished strategy's calibration (training/calibration.ts). */
export interface EntryCalibration {
  /** The fitted mapping; method 'none' when calibration is off or had nothing to fit on. */
  mapping: CalibrationMapping;
  /** The labels it was fitted against, on the validation alerts. */
  target: string;
  note: string;
  /** With `calibration: auto`, each method's cross-validated log-loss. */
  crossValidated?: Partial<Record<CalibrationMethod, number>>;
  /**
   * On the held-out alerts: Brier before (probability scores only) and after (null when the
   * scores stayed as they are and are no probabilities), and the reliability bins of each.
   */
  bySource: Partial<
    Record<
      SourceName,
      { brierBefore: number | null; brierAfter: number | null; before: ReliabilityBin[]; after: ReliabilityBin[] }
    >
  >;
}

export interface Leaderboard {
  sources: SourceInfo[];
  rankedBy: SourceName | null;
  entries: BoardEntry[];
  /** About the evaluation as a whole (the split, address overlap). */
  notes: string[];
  /** Every strategy scored as the network's validator would (src/validator/preview.ts), once computed. */
  validator?: import('../validator/preview.ts').ValidatorPreview;
}

export function buildLeaderboard(sources: SourceInfo[], entries: BoardEntry[], notes: string[] = []): Leaderboard {
  const usable = sources.filter((s) => s.labelled > 0 && s.positives > 0 && s.positives < s.labelled);
  const rankedBy = SOURCE_ORDER.find((name) => usable.some((s) => s.name === name)) ?? null;
  const key = (e: BoardEntry) =>
    e.error || e.cancelled || e.skipped ? -2 : rankedBy ? (e.metrics[rankedBy]?.rocAuc ?? -1) : -1;
  const ordered = [...entries].sort((a, b) => key(b) - key(a));
  return {
    sources: [...sources].sort((a, b) => SOURCE_ORDER.indexOf(a.name) - SOURCE_ORDER.indexOf(b.name)),
    rankedBy,
    entries: ordered,
    notes,
  };
}

const fixed = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '-' : v.toFixed(digits));

/** The board as text tables, one per label source, then the notes. */
export function renderLeaderboard(board: Leaderboard): string {
  const out: string[] = [];
  for (const source of board.sources) {
    const ks = board.entries.find((e) => e.metrics[source.name])?.metrics[source.name]?.atK.map((a) => a.label) ?? [];
    const header = [
      'strategy',
      'ROC-AUC',
      'PR-AUC',
      ...ks.flatMap((k) => [`P@${k}`, `R@${k}`]),
      `NDCG@${ks[ks.length - 1] ?? 'k'}`,
      'Brier',
      'Brier cal.',
      'cap P',
      'cap R',
      'flagged/day',
    ];
    const body = board.entries.map((e) => {
      const m = e.metrics[source.name];
      // A failed, cancelled or skipped strategy keeps its row (why is listed under the tables).
      if (!m)
        return [
          e.error
            ? `${e.strategy} (failed)`
            : e.cancelled
              ? `${e.strategy} (cancelled)`
              : e.skipped
                ? `${e.strategy} (skipped)`
                : e.strategy,
          ...header.slice(1).map(() => '-'),
        ];
      return [
        e.strategy,
        fixed(m.rocAuc),
        fixed(m.prAuc),
        ...m.atK.flatMap((a) => [fixed(a.precision), fixed(a.recall)]),
        fixed(m.atK[m.atK.length - 1]?.ndcg),
        fixed(m.brier),
        fixed(e.calibration?.bySource[source.name]?.brierAfter),
        fixed(m.capacity?.precision),
        fixed(m.capacity?.recall),
        m.capacity ? m.capacity.flaggedPerDay.toFixed(1) : '-',
      ];
    });
    const ranked = board.rankedBy === source.name ? ', ranked by this' : '';
    out.push(
      `${source.name}: ${source.description} (${source.labelled} held-out alerts labelled, ${source.positives} positive${ranked})`,
    );
    out.push(align([header, ...body]));
  }
  const notes = [
    ...board.notes.map((n) => `  ${n}`),
    ...board.entries.flatMap((e) =>
      [
        ...(e.error ? [`error: ${e.error}`] : []),
        ...(e.cancelled ? [e.cancelled] : []),
        ...(e.skipped ? [`skipped: ${e.skipped}`] : []),
        ...e.notes,
      ].map((n) => `  ${e.strategy}: ${n}`),
    ),
  ];
  if (notes.length > 0) out.push(`notes:\n${notes.join('\n')}\n`);
  return out.join('\n');
}

function align(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n';
}
