/**
 * Train / validation / test splits of the matrix rows.
 *
 * - time (default): test is the latest processing date, training is everything earlier: a model
 *   is used on alerts that arrive after it was trained, and a random split would let it learn
 *   from the very snapshot it is tested on.
 * - stratified: a seeded random share of alerts, drawn within each stratum (the caller passes
 *   the proxy label, so every class keeps its proportion).
 *
 * Rows are assigned by alert_id group: the 7- and 30-day windows of one alert share an id, and
 * with one of them in training and the other in test, the model would be tested on an alert it
 * has seen. In a time split, test is exactly the latest date; a group with a row there gives its
 * earlier rows to neither side (SOT alert ids name their date, so this only happens in other
 * exports). The validation set (for early stopping) is a seeded share of the training groups,
 * drawn the same way.
 *
 * With groupBy 'address', whole addresses are kept apart instead: a model is then tested only on
 * addresses it never saw in training. That is the honest test for address-level targets (address
 * labels, and a truth that belongs to the address): otherwise an address's alerts on earlier
 * dates teach the model the very answer it is tested on.
 */
import { Random } from '../ml/random.ts';
import type { RowInfo } from './matrix.ts';

export type SplitMethod = 'time' | 'stratified';

export interface SplitOptions {
  method: SplitMethod;
  /** Share of alert groups held out for test (stratified only). */
  testFraction: number;
  /** Share of the training groups used for early stopping. */
  validationFraction: number;
  /** What may not straddle train and test: an alert's rows (default), or an address's. */
  groupBy: 'alert' | 'address';
  seed: number;
}

export interface Split {
  method: SplitMethod;
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  /** Days (since 1970) in the test set, ascending. */
  testDays: number[];
  trainDays: number[];
  /** What was done, for people: "test = 2025-10-27 (1,670 rows); train = 3 earlier dates". */
  description: string;
}

/**
 * Split per `opts`. A time split needs at least two processing dates; with one it falls back to
 * a stratified split and says so in `description`.
 */
export function splitRows(rowInfo: RowInfo, strata: ArrayLike<number>, opts: SplitOptions): Split {
  const split = splitByGroup(
    opts.groupBy === 'address' ? { ...rowInfo, group: rowInfo.address } : rowInfo,
    strata,
    opts,
  );
  if (opts.groupBy === 'address') split.description += '; addresses kept apart';
  return split;
}

function splitByGroup(info: RowInfo, strata: ArrayLike<number>, opts: SplitOptions): Split {
  const days = distinct(info.day);
  if (opts.method === 'time' && days.length >= 2) return timeSplit(info, strata, opts);
  const split = stratifiedSplit(info, strata, opts);
  if (opts.method === 'time') {
    split.description = `only one processing date (${dayText(days[0] ?? 0)}), so no time split is possible: ${split.description}`;
  }
  return split;
}

function timeSplit(info: RowInfo, strata: ArrayLike<number>, opts: SplitOptions): Split {
  const latest = distinct(info.day).at(-1)!;
  const groupIsTest = new Uint8Array(groupCount(info));
  for (let r = 0; r < info.day.length; r++) if (info.day[r] === latest) groupIsTest[info.group[r]!] = 1;
  const split = assemble(info, strata, groupIsTest, opts, 'time', (r) => info.day[r] !== latest);
  const left = info.day.length - split.train.length - split.validation.length - split.test.length;
  split.description =
    `time: test = ${dayText(latest)} (${split.test.length} rows), training = ${split.trainDays.length} earlier date${split.trainDays.length === 1 ? '' : 's'} (${split.train.length} rows, ${split.validation.length} for validation)` +
    (left > 0
      ? `; ${left} earlier rows of ${opts.groupBy === 'address' ? 'addresses' : 'alert ids'} that recur on the test date left out`
      : '');
  return split;
}

function stratifiedSplit(info: RowInfo, strata: ArrayLike<number>, opts: SplitOptions): Split {
  const groupStratum = stratumPerGroup(info, strata);
  const groupIsTest = drawShare(
    groupStratum,
    new Uint8Array(groupStratum.length).fill(1),
    opts.testFraction,
    new Random(opts.seed),
  );
  const split = assemble(info, strata, groupIsTest, opts, 'stratified');
  split.description = `stratified: ${Math.round(opts.testFraction * 100)}% of alerts held out (seed ${opts.seed}; ${split.test.length} test rows, ${split.train.length} training, ${split.validation.length} validation)`;
  return split;
}

/**
 * Rows per role from a per-group test flag; validation groups are drawn from the non-test ones.
 * Test-group rows for which `leftOut` is true go nowhere.
 */
function assemble(
  info: RowInfo,
  strata: ArrayLike<number>,
  groupIsTest: Uint8Array,
  opts: SplitOptions,
  method: SplitMethod,
  leftOut: (row: number) => boolean = () => false,
): Split {
  const groupStratum = stratumPerGroup(info, strata);
  const eligible = groupIsTest.map((t) => 1 - t);
  const groupIsValidation = drawShare(
    groupStratum,
    eligible,
    opts.validationFraction,
    new Random(opts.seed ^ 0x3c6ef372),
  );
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (let r = 0; r < info.group.length; r++) {
    const g = info.group[r]!;
    if (groupIsTest[g]) {
      if (!leftOut(r)) test.push(r);
    } else if (groupIsValidation[g]) validation.push(r);
    else train.push(r);
  }
  const daysOf = (rows: number[]) => distinct(Int32Array.from(rows, (r) => info.day[r]!));
  return {
    method,
    train: Int32Array.from(train),
    validation: Int32Array.from(validation),
    test: Int32Array.from(test),
    testDays: daysOf(test),
    trainDays: daysOf([...train, ...validation]),
    description: '',
  };
}

/**
 * Flag a `fraction` of the eligible groups, the same share within each stratum (rounded), the
 * groups picked by a seeded shuffle.
 */
function drawShare(groupStratum: Int8Array, eligible: Uint8Array, fraction: number, rng: Random): Uint8Array {
  const byStratum = new Map<number, number[]>();
  for (let g = 0; g < groupStratum.length; g++) {
    if (!eligible[g]) continue;
    const list = byStratum.get(groupStratum[g]!) ?? [];
    list.push(g);
    byStratum.set(groupStratum[g]!, list);
  }
  const flagged = new Uint8Array(groupStratum.length);
  for (const key of [...byStratum.keys()].sort((a, b) => a - b)) {
    const list = rng.shuffle(byStratum.get(key)!);
    const take = Math.round(list.length * fraction);
    for (let i = 0; i < take; i++) flagged[list[i]!] = 1;
  }
  return flagged;
}

/** A group's stratum is the highest of its rows' (1 beats 0; NaN counts as -1, unlabelled). */
function stratumPerGroup(info: RowInfo, strata: ArrayLike<number>): Int8Array {
  const out = new Int8Array(groupCount(info)).fill(-1);
  for (let r = 0; r < info.group.length; r++) {
    const s = strata[r]!;
    if (s === s && s > out[info.group[r]!]!) out[info.group[r]!] = s;
  }
  return out;
}

function groupCount(info: RowInfo): number {
  let n = 0;
  for (let r = 0; r < info.group.length; r++) n = Math.max(n, info.group[r]! + 1);
  return n;
}

function distinct(days: Int32Array): number[] {
  return [...new Set(days)].sort((a, b) => a - b);
}

/** A day number as YYYY-MM-DD. */
export function dayText(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
