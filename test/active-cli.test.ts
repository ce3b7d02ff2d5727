/**
 * `lab active simulate` and `lab labels suspects` on the synthetic export (ml-fixtures.ts),
 * written to a temporary folder as a user's files would be: small budgets, so each runs in
 * seconds.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { activeCommand } from '../src/cli/active.ts';
import { labelsCommand } from '../src/cli/labels.ts';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import { fixtureFiles, fixtureLab } from './ml-fixtures.ts';
import { resetDatabase } from './fixtures/files.ts';

let dir: string;
/** Alert ids whose label in labels.csv contradicts the truth. */
const flipped = new Set<string>();

beforeAll(async () => {
  const rt = await openNodeRuntime();
  await resetDatabase(rt);
  dir = await mkdtemp(join(tmpdir(), 'label-lab-active-'));
  for (const f of await fixtureFiles(rt)) {
    await mkdir(dirname(join(dir, 'data', f.path)), { recursive: true });
    await writeFile(join(dir, 'data', f.path), await f.read());
  }
  // Labels: the truth of one alert in three, every tenth of those flipped.
  await fixtureLab(rt);
  const truth = rows<{ alert_id: string; y: number }>(
    await rt.db.query(
      `SELECT alert_id, CAST(bool_or(is_illicit) AS INTEGER) AS y FROM ground_truth GROUP BY 1 ORDER BY 1`,
    ),
  ).filter((_, i) => i % 3 === 0);
  await resetDatabase(rt);
  const lines = truth.map((t, i) => {
    const wrong = i % 10 === 0;
    if (wrong) flipped.add(t.alert_id);
    return `${t.alert_id},${wrong ? 1 - t.y : t.y},community`;
  });
  await writeFile(join(dir, 'labels.csv'), ['alert_id,label,label_source', ...lines].join('\n') + '\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function capture(run: () => Promise<number>) {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await run(), out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}

describe('lab active simulate', () => {
  it('prints the curves and the labels needed per target, and writes them as JSON', async () => {
    const out = join(dir, 'curves.json');
    const r = await capture(() =>
      activeCommand.run(
        { data: [join(dir, 'data')], batch: '10', budget: '40', repeats: '2', targets: '0.5,0.99', out },
        ['simulate'],
      ),
    );
    expect(r.out).toMatch(/dense on every pool label/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/split: time: test = 2026-01-19/);
    expect(r.out).toMatch(/labels\s+uncertainty\s+margin\s+diversity\s+random/);
    expect(r.out).toMatch(/target\s+uncertainty/);
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json.points).toHaveLength(4 * 2 * 4);
    expect(json.summary).toHaveLength(4 * 4);
    expect(json.labelsToReach).toHaveLength(8);
    expect(json.options).toMatchObject({ batch: 10, budget: 40, repeats: 2, learner: 'dense' });
  });

  it('refuses bad options with a message', async () => {
    const data = [join(dir, 'data')];
    await expect(activeCommand.run({ data }, ['simulated'])).rejects.toThrow(/say simulate/);
    await expect(activeCommand.run({ data, batch: '0' }, ['simulate'])).rejects.toThrow(
      /--batch must be a positive integer/,
    );
    await expect(activeCommand.run({ data, strategies: 'uncertainty,smart' }, ['simulate'])).rejects.toThrow(
      /--strategies takes/,
    );
    await expect(activeCommand.run({ data, learner: 'forest' }, ['simulate'])).rejects.toThrow(
      /--learner must be logistic or dense/,
    );
    await expect(activeCommand.run({}, ['simulate'])).rejects.toThrow(/give --data/);
  });
});

describe('lab labels suspects', () => {
  const labels = labelsCommand;

  it('lists the explicit labels the model disputes, the planted flips first', async () => {
    const r = await capture(() =>
      labels.run(
        {
          ...defaults(),
          data: [join(dir, 'data')],
          labels: [join(dir, 'labels.csv')],
          check: 'explicit',
          json: true,
          limit: '100',
        },
        ['suspects'],
      ),
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.suspects.length).toBeGreaterThan(0);
    for (const s of report.suspects) expect(s.source).toBe('community');
    const top = report.suspects.slice(0, 6).map((s: { alertId: string }) => s.alertId);
    expect(top.filter((id: string) => flipped.has(id)).length).toBeGreaterThanOrEqual(4);
  });

  it('checks the effective labels (proxy rule included) as a table, and leaves other subcommands to labels', async () => {
    const r = await capture(() =>
      labels.run({ ...defaults(), data: [join(dir, 'data')], limit: '5', learner: 'logistic' }, ['suspects']),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/labelled rows checked .* logistic probabilities/);
    expect(r.out).toMatch(/rank\s+alert_id\s+date\s+window\s+label\s+source/);
    expect(r.out).toMatch(/left out by the leakage guard/);
    await expect(labels.run({ ...defaults() }, ['nonsense'])).rejects.toThrow(/say import, quality or export/);
    expect(labels.usage).toMatch(/suspects/);
    await expect(labels.run({ ...defaults(), data: [join(dir, 'data')], check: 'all' }, ['suspects'])).rejects.toThrow(
      /--check must be/,
    );
  });
});

/** parseArgs' defaults for the labels command's boolean options. */
function defaults() {
  return { yes: false, 'keep-unknown': false, effective: false, 'include-proxy': false, proxy: false, json: false };
}
