import { describe, expect, it } from 'vitest';
import { groupLoadWarnings } from '../src/sample/expected-warnings.ts';
import type { Problem } from '../src/sot/problems.ts';

const nullConfidence = (file: string): Problem => ({
  level: 'warning',
  file,
  column: 'alert_confidence_score',
  message: `${file}: column alert_confidence_score has 9 NULL values of 2595 (0.35%, first at row 792); the template fills NULL confidences with 0.5`,
});
const unmatched = (file: string): Problem => ({
  level: 'warning',
  file,
  message: `${file}: 729 of 729 rows match no loaded alert on (address, processing_date, window_days); they are kept, but no alert uses them`,
});

describe('groupLoadWarnings', () => {
  it("sorts the sample's warnings into its two expected kinds, each explained", () => {
    const groups = groupLoadWarnings([
      nullConfidence('snapshots/torus/2025-10-06/30/alerts.parquet'),
      nullConfidence('snapshots/torus/2025-10-06/7/alerts.parquet'),
      unmatched('snapshots/torus/2025-12-12/30/features.parquet'),
    ]);
    expect(groups.map((g) => [g.kind, g.problems.length])).toEqual([
      ['null-confidence', 2],
      ['unmatched-features', 1],
    ]);
    expect(groups[0]!.summary).toBe('2 alerts files: a few alerts have no confidence (NULL).');
    expect(groups.every((g) => g.why && g.doc)).toBe(true);
  });

  it('keeps every other warning, unexplained, and leaves errors out', () => {
    const odd: Problem = { level: 'warning', file: 'alerts.csv', message: 'alerts.csv: something new' };
    const error: Problem = { level: 'error', file: 'x.parquet', message: 'x.parquet: not a valid Parquet file' };
    // The same wording on a file that is not a features file is not the expected kind.
    const misplaced = unmatched('snapshots/torus/2025-10-06/30/clusters.parquet');
    const groups = groupLoadWarnings([odd, error, misplaced]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ kind: 'other', problems: [odd, misplaced] });
    expect(groups[0]!.why).toBeUndefined();
  });
});
