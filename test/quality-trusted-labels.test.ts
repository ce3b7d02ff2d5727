/** Suspected mislabels trust validated labels: set apart with the reason, the rest ranked anew. */
import { describe, expect, it } from 'vitest';
import { describeTrusted, setTrustedApart, TRUSTED_REASON } from '../src/quality/mislabel-suspects.ts';

describe('trusted labels among the suspects', () => {
  it('leaves validated labels out, keeps the order of the others and says why', () => {
    const suspects = [
      { rank: 1, alertId: 'a', source: 'validated' },
      { rank: 2, alertId: 'b', source: 'community' },
      { rank: 3, alertId: 'c', source: 'validated' },
      { rank: 4, alertId: 'd', source: 'proxy' },
    ];
    const { suspects: listed, trusted } = setTrustedApart(suspects);
    expect(listed).toEqual([
      { rank: 1, alertId: 'b', source: 'community' },
      { rank: 2, alertId: 'd', source: 'proxy' },
    ]);
    expect(trusted).toEqual({ sources: ['validated'], rows: 2, reason: TRUSTED_REASON });
    expect(describeTrusted(trusted)).toBe(`2 validated labels the model disputed are not listed: ${TRUSTED_REASON}.`);
    expect(describeTrusted(setTrustedApart(listed).trusted)).toBe(
      `Validated labels are never listed: ${TRUSTED_REASON}.`,
    );
  });
});
