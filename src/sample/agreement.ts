/**
 * How far the design's default proxy rule agrees with the planted truth, over exported alert
 * rows: positive = severity high/critical and confidence >= 0.7; negative = severity low/medium or
 * confidence < 0.3; anything else (a NULL confidence on a high alert) is uncertain.
 */
import type { Alert } from './alerts.ts';

export type ProxyClass = 'positive' | 'negative' | 'uncertain';

const CONFIDENCE_POSITIVE = Math.fround(0.7);
const CONFIDENCE_NEGATIVE = Math.fround(0.3);

export function proxyClass(severity: string, confidence: number | null): ProxyClass {
  const high = severity === 'high' || severity === 'critical';
  if (high && confidence !== null && confidence >= CONFIDENCE_POSITIVE) return 'positive';
  if (!high || (confidence !== null && confidence < CONFIDENCE_NEGATIVE)) return 'negative';
  return 'uncertain';
}

export class Agreement {
  /** counts[proxy][truth]: truth 1 = illicit. */
  readonly counts: Record<ProxyClass, [number, number]> = { positive: [0, 0], negative: [0, 0], uncertain: [0, 0] };

  add(alert: Alert, illicit: boolean): void {
    const cls = proxyClass(alert.severity, alert.confidenceNull ? null : alert.confidence);
    this.counts[cls][illicit ? 1 : 0]++;
  }

  get rows(): number {
    const c = this.counts;
    return c.positive[0] + c.positive[1] + c.negative[0] + c.negative[1] + c.uncertain[0] + c.uncertain[1];
  }

  /** Share of proxy positives that are illicit. */
  get precision(): number {
    const [benign, illicit] = this.counts.positive;
    return illicit / Math.max(1, benign + illicit);
  }

  /** Share of illicit alert rows the proxy calls positive. */
  get recall(): number {
    const c = this.counts;
    return c.positive[1] / Math.max(1, c.positive[1] + c.negative[1] + c.uncertain[1]);
  }

  /** Share of proxy negatives that are benign. */
  get negativePredictiveValue(): number {
    const [benign, illicit] = this.counts.negative;
    return benign / Math.max(1, benign + illicit);
  }

  get illicitShare(): number {
    const c = this.counts;
    return (c.positive[1] + c.negative[1] + c.uncertain[1]) / Math.max(1, this.rows);
  }
}
