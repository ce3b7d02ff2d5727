/** Label quality: coverage and class balance per source, agreement and Cohen's kappa between sources. */
import type { Database } from '../db/database.ts';
import { labelAgreement, type AgreementReport } from './agreement.ts';
import { labelCoverage, type CoverageReport } from './coverage.ts';
import { withSourceLabels } from './source-labels.ts';

export { labelAgreement, kappaMatrix, type AgreementReport, type PairAgreement } from './agreement.ts';
export { labelCoverage, type CoverageReport, type EventCounts, type RaterCoverage } from './coverage.ts';
export { binaryKappa, cohensKappa, type KappaResult } from './kappa.ts';
export { RATERS, sourceLabelsSql, withSourceLabels, type Rater } from './source-labels.ts';

export interface QualityReport {
  coverage: CoverageReport;
  agreement: AgreementReport;
}

/** Coverage and agreement from one computation of the per-source labels. */
export function labelQuality(db: Database): Promise<QualityReport> {
  return withSourceLabels(db, async (table) => ({
    coverage: await labelCoverage(db, table),
    agreement: await labelAgreement(db, table),
  }));
}
