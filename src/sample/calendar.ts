/**
 * The sample's time frame: one network, four processing dates with alerts, windows of 7 and 30
 * days, and the later feature snapshots the validator's evolution tier (Tier 3B) reads.
 *
 * The dates come in pairs 30 days apart (2025-10-06 and 2025-11-05, 2025-10-13 and 2025-11-12),
 * so the first two dates' alerts have their +30-day snapshot in the sample as a full snapshot of
 * its own, and a model trained on those evolution labels can be tested on the last date. The last
 * date's +30 snapshot (2025-12-12) holds features only: with alerts it would become the newest
 * date, which a time split tests on and whose own evolution is never known yet.
 *
 * Days are counted from 1970-01-01 (UTC), as Arrow's Date32 does. The simulation covers a
 * "horizon" from 30 days before the first processing date up to the last snapshot, so every window of
 * every date has its full history. A window `w` of date `D` holds the transfers of days
 * [D - w, D), the way the SOT exporter slices `[date - window, date)`.
 */
import { DAY_MS } from './columns.ts';

export const NETWORK = 'torus';
/** Torus is a Substrate chain: SS58 addresses with the generic prefix 42. */
export const NETWORK_TYPE = 'substrate';
export const WINDOWS = [7, 30] as const;
export type WindowDays = (typeof WINDOWS)[number];

/** Processing dates with alerts: two Mondays a week apart, and each of them 30 days on. */
export const PROCESSING_DATES = ['2025-10-06', '2025-10-13', '2025-11-05', '2025-11-12'] as const;
/** Days between an alert's snapshot and the later one its evolution is read from (the validator's 30). */
export const EVOLUTION_DAYS = 30;
/** Later snapshots with features only: the last date + 30 days, so its alerts have an evolution too. */
export const LATER_ONLY_DATES = ['2025-12-12'] as const;

export function dayOf(isoDate: string): number {
  return Math.round(Date.parse(isoDate + 'T00:00:00Z') / DAY_MS);
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "2025-10-06 13:04:05" (UTC), the DuckDB TIMESTAMP text form, for the CSV export. */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export const DATE_DAYS = PROCESSING_DATES.map(dayOf);
const longestWindow = Math.max(...WINDOWS);
/** First simulated day (inclusive) and the day after the last (exclusive). */
export const HORIZON_START = DATE_DAYS[0]! - longestWindow;
export const HORIZON_END = Math.max(...DATE_DAYS, ...LATER_ONLY_DATES.map(dayOf));
export const HORIZON_DAYS = HORIZON_END - HORIZON_START;

export interface Snapshot {
  date: string;
  /** Processing date in days since the epoch. */
  day: number;
  window: WindowDays;
  /** Window bounds in days since the epoch: [startDay, endDay). */
  startDay: number;
  endDay: number;
}

export function snapshotsOf(date: string): Snapshot[] {
  const day = dayOf(date);
  return WINDOWS.map((window) => ({ date, day, window, startDay: day - window, endDay: day }));
}

/** Day of week with Monday = 0, as the SOT's daily_activity and weekly_pattern index it. */
export function weekdayMon0(day: number): number {
  // 1970-01-01 was a Thursday (Monday-based index 3).
  return (((day + 3) % 7) + 7) % 7;
}
