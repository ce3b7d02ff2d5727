/**
 * Property tests (fast-check) on the labels import's checks (src/ingest/import.ts, validate.ts),
 * for what the report promises: every issue names the file, its column and its first rows.
 * A labels CSV is generated (quoted values, label spellings in any case and padding, unknown
 * spellings, empty labels, unknown alerts, confidences in and out of 0..1) and the report must
 * count exactly the rows it should, quote the first five by their record number, and accept
 * exactly the rows with nothing wrong. Preparing writes nothing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import type { ImportIssue, IssueCode } from '../src/ingest/index.ts';
import { alertsLab, prepare } from './ingest-fixtures.ts';

type Fault = 'label-empty' | 'label-unknown' | 'unknown-alert' | 'confidence-range';

interface Row {
  label: string;
  confidence: string;
  fault: Fault | null;
}

const rowArb: fc.Arbitrary<Row> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('1', '0', 'yes', 'No', ' TRUE ', 'illicit', 'Benign', 'f'),
      fc.constantFrom('', '0', '0.5', '1'),
    )
    .map(([label, confidence]) => ({ label, confidence, fault: null })),
  fc.constant({ label: '', confidence: '', fault: 'label-empty' as const }),
  fc
    .constantFrom('maybe', '2', '?', 'a,b', 'say "no"', 'ja', '-1', '1.5')
    .map((label) => ({ label, confidence: '', fault: 'label-unknown' as const })),
  fc
    .constantFrom('1.5', '-0.1', '7')
    .map((confidence) => ({ label: '1', confidence, fault: 'confidence-range' as const })),
  fc.constant({ label: '1', confidence: '', fault: 'unknown-alert' as const }),
);

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
  await alertsLab(rt);
});

describe('the labels import report', () => {
  it('counts, names and quotes exactly the rows at fault, by column and record number', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 14 }), fc.boolean(), async (generated, crlf) => {
        // alertsSql's 20 alerts are alert-0..alert-19, one row each: one alert per row, never twice.
        const lines = generated.map((r, i) =>
          [r.fault === 'unknown-alert' ? `no-such-${i}` : `alert-${i}`, quote(r.label), r.confidence].join(','),
        );
        const eol = crlf ? '\r\n' : '\n';
        const csv = ['alert_id,label,label_confidence', ...lines].join(eol) + eol;
        const pending = await prepare(rt, 'gen.csv', csv);
        try {
          const { report } = pending;
          const errors = report.issues.filter((i) => i.level === 'error');
          const byCode = new Map<IssueCode, ImportIssue>(errors.map((i) => [i.code, i]));
          const faults: Fault[] = ['label-empty', 'label-unknown', 'unknown-alert', 'confidence-range'];
          for (const fault of faults) {
            const at = generated.flatMap((r, i) => (r.fault === fault ? [i + 1] : []));
            const issue = byCode.get(fault);
            if (at.length === 0) {
              expect(issue, fault).toBeUndefined();
              continue;
            }
            expect(issue, `${fault} in ${JSON.stringify(generated)}`).toBeDefined();
            expect(issue!.file).toBe('gen.csv');
            expect(issue!.rows).toBe(at.length);
            expect(issue!.message.startsWith('gen.csv: ')).toBe(true);
            expect(issue!.examples.map((e) => e.row)).toEqual(at.slice(0, 5));
            expect(issue!.message).toContain(`row ${at[0]}`);
            const column = { 'label-empty': 'label', 'label-unknown': 'label', 'confidence-range': 'label_confidence' }[
              fault as string
            ];
            if (column) expect(issue!.column).toBe(column);
            if (fault === 'label-unknown') {
              expect(issue!.examples.map((e) => e.value)).toEqual(
                generated
                  .filter((r) => r.fault === fault)
                  .map((r) => r.label)
                  .slice(0, 5),
              );
            }
          }
          expect(errors.map((i) => i.code).filter((c) => !(faults as string[]).includes(c))).toEqual([]);
          expect(report.accepted).toBe(generated.filter((r) => r.fault === null).length);
          expect(report.rejected).toBe(generated.length - report.accepted);
          expect(Number(rows<{ n: number }>(await rt.db.query('SELECT count(*) AS n FROM label_events'))[0]!.n)).toBe(
            0,
          );
        } finally {
          await pending.discard();
        }
      }),
      { numRuns: 30 },
    );
  });
});
