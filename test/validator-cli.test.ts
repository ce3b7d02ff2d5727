/**
 * `lab validate` as a user runs it: the hand-made snapshot of validator-fixtures.ts on disk, a
 * scores CSV, the tiers printed and the JSON report under the validator's key names with the
 * hand-computed figures (test/validator-data.test.ts derives them), a bad file failing Tier 1 with
 * each reason and exit 1 but no stack trace, a consensus file, the validator's own config file,
 * and the errors for a file or option it cannot use.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import { DATE, HAND, HAND_FIGURES, SCORES, scoresCsv, validatorDataFiles } from './validator-fixtures.ts';

const run = promisify(execFile);

async function lab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
let data: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-validate-'));
  data = join(dir, 'data');
  const rt = await openNodeRuntime();
  const { mkdir } = await import('node:fs/promises');
  await mkdir(data);
  for (const f of await validatorDataFiles(rt)) await writeFile(join(data, f.path), await f.read());
  await rt.db.close();
  await writeFile(join(dir, 'scores.csv'), scoresCsv(SCORES));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lab validate', () => {
  it('prints the tiers and writes the hand-computed figures under the validator key names', async () => {
    const out = join(dir, 'report.json');
    const r = await lab('validate', '--data', data, '--scores', join(dir, 'scores.csv'), '--out', out);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`snapshot ${DATE}, 7-day window, the only snapshot loaded; scored as of 2026-02-04`);
    expect(r.stdout).toMatch(/^Tier 3B\s+score\s+0\.\d{4}\s+tier3_evolution_score$/m);
    expect(r.stdout).toContain('patterns: expanding_illicit 1, benign_indicators 3, dormant 1, ambiguous 1');
    const report = JSON.parse(await readFile(out, 'utf8')) as Record<string, number>;
    for (const [k, v] of Object.entries(HAND_FIGURES)) expect(Math.abs(report[k]! - v), k).toBeLessThan(1e-6);
    expect(report).toMatchObject({ tier1_passed: true, validation_status: 'complete', status: 'accepted' });
    expect(report.pattern_counts).toEqual({ expanding_illicit: 1, benign_indicators: 3, dormant: 1, ambiguous: 1 });
  });

  it('fails Tier 1 with each reason and its first rows, exit 1, no stack trace', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(
      bad,
      'alert_id,score,model_version,model_github_url\na1,1.5,v1,u\na2,,v1,u\na3,0.2,v1,u\na3,0.3,v1,u\nzz,0.1,v1,u\na4,0.4,,u\n',
    );
    const out = join(dir, 'bad.json');
    const r = await lab('validate', '--data', data, '--scores', bad, '--date', DATE, '--window', '7', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toContain('status: rejected');
    expect(r.stdout).toMatch(
      /tier1_has_all_alerts: 3 of the 7 alerts of 2026-01-05, 7-day window are not scored; first: alert a5; alert a6; alert a7/,
    );
    expect(r.stdout).toMatch(/tier1_alerts_known: 1 rows score alerts .*; first: row 5, alert zz/);
    expect(r.stdout).toMatch(
      /tier1_score_range_valid: 2 scores .*; first: row 1, alert a1 \(1\.5\); row 2, alert a2 \(NaN\)/,
    );
    expect(r.stdout).toMatch(/tier1_no_duplicates: 1 rows .*; first: row 4, alert a3/);
    expect(r.stdout).toMatch(/tier1_metadata_valid: 1 rows .*; first: row 6, alert a4 \(model_version empty\)/);
    const report = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({ final_score: 0, reason: 'tier1_failed', tier1_passed: false });
  });

  it("takes other miners from --consensus and the validator's own config file", async () => {
    const others = join(dir, 'others.csv');
    await writeFile(
      others,
      `miner_id,alert_id,score\n${Object.keys(SCORES)
        .flatMap((id, i) => [`m1,${id},${(7 - i) / 10}`, `m2,${id},${(7 - i) / 10}`])
        .join('\n')}\n`,
    );
    const config = join(dir, 'validation_config.json');
    await writeFile(config, JSON.stringify({ tier2_behavioral: { weight: 0.5 }, tier3_accuracy: { weight: 0.5 } }));
    const out = join(dir, 'c.json');
    const r = await lab(
      'validate',
      '--data',
      data,
      '--scores',
      join(dir, 'scores.csv'),
      '--consensus',
      others,
      '--config',
      config,
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('consensus: m1 (7 rows), m2 (7 rows)');
    const report = JSON.parse(await readFile(out, 'utf8')) as Record<string, number>;
    expect(report.consensus_submissions).toBe(3);
    expect(report.tier2_rank_correlation).toBeLessThan(0.5);
    const t2 = 0.33 * HAND.entropy + 0.33 * report.tier2_rank_correlation! + 0.34 * 0.7;
    expect(Math.abs(report.final_score! - (0.5 * t2 + 0.5 * HAND.tier3))).toBeLessThan(1e-6);
  });

  it('names the file, column or option it cannot use', async () => {
    const noScore = join(dir, 'noscore.csv');
    await writeFile(noScore, 'alert_id,value\na1,0.5\n');
    const r = await lab('validate', '--data', data, '--scores', noScore, '--out', join(dir, 'x.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lab: validate: .*noscore\.csv: missing column score \(a scores file has/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const date = await lab('validate', '--data', data, '--scores', noScore, '--date', '5/1/2026', '--out', 'x');
    expect(date.stderr).toBe("lab: validate: --date must be a date YYYY-MM-DD, not '5/1/2026'\n");
    const conf = join(dir, 'bad-config.json');
    await writeFile(conf, '{"tier2_behavioral": {"weigth": 1}}');
    const c = await lab('validate', '--data', data, '--scores', noScore, '--config', conf, '--out', 'x');
    expect(c.stderr).toMatch(
      /bad-config\.json: invalid validator configuration:\n {2}- tier2_behavioral: unknown field 'weigth'/,
    );
  }, 120_000); // several CLI runs, each starting tsx
});
