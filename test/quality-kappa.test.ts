import { describe, expect, it } from 'vitest';
import { binaryKappa, cohensKappa } from '../src/quality/index.ts';

describe("Cohen's kappa against hand-worked values", () => {
  it('20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no: p_o 0.7, p_e 0.5, kappa 0.4', () => {
    // Classes [no, yes]; rows rater A, columns rater B. A says yes 25/50, B says yes 30/50:
    // p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    const r = cohensKappa([
      [15, 10],
      [5, 20],
    ]);
    expect(r.n).toBe(50);
    expect(r.observed).toBeCloseTo(0.7, 12);
    expect(r.expected).toBeCloseTo(0.5, 12);
    expect(r.kappa).toBeCloseTo(0.4, 12);
  });

  it('45 yes-yes, 15 yes-no, 25 no-yes, 15 no-no: kappa 0.06 / 0.46', () => {
    // A yes 0.6, B yes 0.7: p_e = 0.42 + 0.12 = 0.54; p_o = 0.6.
    const r = binaryKappa({ n11: 45, n10: 15, n01: 25, n00: 15 });
    expect(r.expected).toBeCloseTo(0.54, 12);
    expect(r.kappa).toBeCloseTo(0.06 / 0.46, 12);
  });

  it('25 yes-yes, 35 yes-no, 5 no-yes, 35 no-no: kappa 0.14 / 0.54', () => {
    // A yes 0.6, B yes 0.3: p_e = 0.18 + 0.28 = 0.46; p_o = 0.6. Same p_o as above, other kappa.
    const r = binaryKappa({ n11: 25, n10: 35, n01: 5, n00: 35 });
    expect(r.observed).toBeCloseTo(0.6, 12);
    expect(r.kappa).toBeCloseTo(0.14 / 0.54, 12);
  });

  it('three classes: p_o 24/30, p_e 308/900, kappa 412/592', () => {
    // Row sums 12, 10, 8; column sums 11, 12, 7: p_e = (132 + 120 + 56) / 900.
    const r = cohensKappa([
      [10, 2, 0],
      [1, 8, 1],
      [0, 2, 6],
    ]);
    expect(r.observed).toBeCloseTo(0.8, 12);
    expect(r.expected).toBeCloseTo(308 / 900, 12);
    expect(r.kappa).toBeCloseTo(412 / 592, 12);
  });

  it('perfect agreement is 1, perfect disagreement on balanced classes is -1', () => {
    expect(binaryKappa({ n11: 3, n00: 7, n10: 0, n01: 0 }).kappa).toBeCloseTo(1, 12);
    expect(binaryKappa({ n11: 0, n00: 0, n10: 5, n01: 5 }).kappa).toBeCloseTo(-1, 12);
  });

  it('is undefined (null) without items, or when both raters use one and the same class only', () => {
    expect(binaryKappa({ n11: 0, n00: 0, n10: 0, n01: 0 })).toEqual({
      n: 0,
      observed: null,
      expected: null,
      kappa: null,
    });
    expect(binaryKappa({ n11: 9, n00: 0, n10: 0, n01: 0 })).toEqual({ n: 9, observed: 1, expected: 1, kappa: null });
    // Different single classes: p_e = 0, so kappa = p_o = 0.
    expect(binaryKappa({ n11: 0, n00: 0, n10: 4, n01: 0 }).kappa).toBe(0);
  });

  it('refuses a matrix that is not square or has negative counts', () => {
    expect(() => cohensKappa([[1, 2], [3]])).toThrow(/square/);
    expect(() =>
      cohensKappa([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(/>= 0/);
  });
});
