/**
 * Agreement between every pair of raters (proxy, miner, community, validated, the effective
 * label, evolution labels where the later snapshots are loaded, and the ground truth where loaded): the 2x2 confusion matrix over the alert rows both
 * label, the observed agreement and Cohen's kappa. All pairs come from one aggregate query over
 * the source-labels table.
 *
 * Only rows labelled by both raters count: a source that is silent on an alert neither agrees
 * nor disagrees with it, and `n` shows how much overlap each number rests on. The effective
 * label contains the sources, so its agreement with a source is partly by construction (with
 * validated it is 1 wherever validated speaks); its row against the truth is the one that says
 * how good the training labels are.
 */
import { ident, rows, type Database } from '../db/database.ts';
import { binaryKappa, type KappaResult } from './kappa.ts';
import { reportedRaters, withSourceLabels, type Rater } from './source-labels.ts';

export interface PairAgreement extends KappaResult {
  a: Rater;
  b: Rater;
  /** matrix[i][j]: rows rater a labels i and rater b labels j (0 = negative, 1 = positive). */
  matrix: [[number, number], [number, number]];
}

export interface AgreementReport {
  /** Raters that label at least one alert row, in RATERS order. */
  raters: Rater[];
  /** Every pair of those raters, a before b in RATERS order. */
  pairs: PairAgreement[];
}

/** Agreement over a source-labels table (source-labels.ts), or a fresh one when none is given. */
export async function labelAgreement(db: Database, sourceLabels?: string): Promise<AgreementReport> {
  if (!sourceLabels) return withSourceLabels(db, (t) => labelAgreement(db, t));
  const t = ident(sourceLabels);
  const candidates = await reportedRaters(db, sourceLabels);
  const present = rows<Record<string, number>>(
    await db.query(`SELECT ${candidates.map((r) => `count(${r}) AS ${r}`).join(', ')} FROM ${t}`),
  )[0]!;
  const raters = candidates.filter((r) => Number(present[r]) > 0);
  const pairs: [Rater, Rater][] = [];
  raters.forEach((a, i) => raters.slice(i + 1).forEach((b) => pairs.push([a, b])));
  if (pairs.length === 0) return { raters, pairs: [] };
  const cells = pairs.flatMap(([a, b], p) =>
    [0, 1].flatMap((i) => [0, 1].map((j) => `count(*) FILTER (WHERE ${a} = ${i} AND ${b} = ${j}) AS p${p}_${i}${j}`)),
  );
  const counts = rows<Record<string, number>>(await db.query(`SELECT ${cells.join(', ')} FROM ${t}`))[0]!;
  return {
    raters,
    pairs: pairs.map(([a, b], p) => {
      const n = (i: number, j: number) => Number(counts[`p${p}_${i}${j}`]);
      const matrix: PairAgreement['matrix'] = [
        [n(0, 0), n(0, 1)],
        [n(1, 0), n(1, 1)],
      ];
      return { a, b, matrix, ...binaryKappa({ n00: n(0, 0), n01: n(0, 1), n10: n(1, 0), n11: n(1, 1) }) };
    }),
  };
}

/** The pairs as a symmetric rater x rater matrix of kappas (1 on the diagonal, null where undefined). */
export function kappaMatrix(report: AgreementReport): (number | null)[][] {
  return report.raters.map((a) =>
    report.raters.map((b) => {
      if (a === b) return 1;
      const pair = report.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
      return pair?.kappa ?? null;
    }),
  );
}
