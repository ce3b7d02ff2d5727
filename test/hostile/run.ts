/**
 * Run the hostile corpus against one lab (a good snapshot and a committed label import first),
 * and say for each case what went wrong, if anything. Used by test/hostile-inputs.test.ts and
 * by `npm run hostile` (summary.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rows } from '../../src/db/database.ts';
import type { Runtime } from '../../src/db/runtime.ts';
import { prepareLabelImport } from '../../src/ingest/index.ts';
import { Lab } from '../../src/sot/lab.ts';
import { memFile, resetDatabase } from '../fixtures/files.ts';
import { BASELINE, baselineFiles, type HostileCase, type LabelsCase, type SotCase } from './corpus.ts';

export interface Context {
  rt: Runtime;
  lab: Lab;
  tmp: string;
  /** Row counts of the baseline snapshot and of label events, as they must stay. */
  before: Record<string, number>;
}

export async function setUp(rt: Runtime): Promise<Context> {
  await resetDatabase(rt);
  const lab = await Lab.open(rt);
  const report = await lab.load(await baselineFiles(rt));
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0 || report.loaded.length !== 3) {
    throw new Error(`the baseline did not load: ${errors.map((e) => e.message).join('; ')}`);
  }
  const labels = await prepareLabelImport(rt, memFile('seed-labels.csv', 'alert_id,label\nalert-0,1\nalert-1,0\n'));
  await labels.commit();
  const tmp = await mkdtemp(join(tmpdir(), 'label-lab-hostile-'));
  return { rt, lab, tmp, before: await snapshotCounts(rt) };
}

export async function tearDown(ctx: Context): Promise<void> {
  await rm(ctx.tmp, { recursive: true, force: true });
}

/** What must never change: the baseline's rows per table and the label events. */
async function snapshotCounts(rt: Runtime): Promise<Record<string, number>> {
  const [r] = rows<Record<string, number>>(
    await rt.db.query(
      `SELECT
        (SELECT count(*) FROM alerts WHERE processing_date = ?::DATE AND window_days = ?) AS alerts,
        (SELECT count(*) FROM features WHERE processing_date = ?::DATE AND window_days = ?) AS features,
        (SELECT count(*) FROM money_flows WHERE processing_date = ?::DATE AND window_days = ?) AS money_flows,
        (SELECT count(*) FROM label_events) AS label_events`,
      [BASELINE.date, BASELINE.window, BASELINE.date, BASELINE.window, BASELINE.date, BASELINE.window],
    ),
  );
  return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
}

/** Run one case; the list of what went wrong is empty when it was handled as it must be. */
export async function runCase(ctx: Context, c: HostileCase): Promise<string[]> {
  let failures: string[];
  try {
    if (c.kind === 'sot') failures = await runSot(ctx, c);
    else if (c.kind === 'labels') failures = await runLabels(ctx, c);
    else failures = await c.run(ctx);
  } catch (e) {
    failures = [`threw: ${(e as Error).message.split('\n')[0]}`];
  }
  const after = await snapshotCounts(ctx.rt);
  for (const [k, v] of Object.entries(ctx.before)) {
    if (after[k] !== v) failures.push(`${k} changed from ${v} to ${after[k]}: loaded data was lost or changed`);
  }
  return failures;
}

async function runSot(ctx: Context, c: SotCase): Promise<string[]> {
  const files = await c.files(ctx.rt);
  const report = await ctx.lab.load(files, c.options);
  const out: string[] = [];
  const errors = report.problems.filter((p) => p.level === 'error');
  const explained = new Set<unknown>();
  for (const want of c.expect.refused ?? []) {
    const hit = errors.find((p) => p.file === want.file && want.message.test(p.message));
    if (!hit) out.push(`no error for ${want.file} matching ${want.message}`);
    else {
      explained.add(hit);
      if (want.column !== undefined && hit.column !== want.column) {
        out.push(`error names column ${hit.column ?? '(none)'}, expected ${want.column}`);
      }
    }
  }
  for (const e of errors) {
    if (!explained.has(e)) out.push(`unexpected error: ${e.message}`);
    // Every message names its file, so a user with fifty files knows which one.
    if (!e.message.includes(e.file)) out.push(`error does not name its file ${e.file}: ${e.message}`);
  }
  for (const want of c.expect.warnings ?? []) {
    const hit = report.problems.some(
      (p) => p.level === 'warning' && p.file === want.file && want.message.test(p.message),
    );
    if (!hit) out.push(`no warning for ${want.file} matching ${want.message}`);
  }
  if (c.expect.loaded) {
    const loaded = report.loaded.map((l) => l.path).sort();
    const expected = [...c.expect.loaded].sort();
    if (loaded.join('|') !== expected.join('|')) {
      out.push(`loaded [${loaded.join(', ')}], expected [${expected.join(', ')}]`);
    }
  }
  if (out.length > 0) out.push(`problems: ${report.problems.map((p) => `${p.level}: ${p.message}`).join(' | ')}`);
  return out;
}

async function runLabels(ctx: Context, c: LabelsCase): Promise<string[]> {
  const file = await c.file(ctx.rt);
  const prepared = await prepareLabelImport(ctx.rt, file);
  const { report } = prepared;
  await prepared.discard();
  const errors = report.issues.filter((i) => i.level === 'error');
  if ('refused' in c.expect) {
    if (report.accepted !== 0) return [`accepted ${report.accepted} rows`];
    const hit = errors.some((i) => (c.expect as { refused: RegExp }).refused.test(i.message));
    return hit ? [] : [`no error matching ${c.expect.refused}: ${errors.map((i) => i.message).join(' | ') || 'none'}`];
  }
  if (errors.length > 0) return [`refused: ${errors.map((i) => i.message).join(' | ')}`];
  return report.accepted === c.expect.accepted ? [] : [`accepted ${report.accepted}, expected ${c.expect.accepted}`];
}
