import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { alertContext } from '../src/active/context.ts';
import { RETRAIN_PHASES, retrainQueue, saveLabel, type RetrainPhase } from '../src/active/retrain.ts';
import { retractLabel } from '../src/ingest/index.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { fixtureLab } from './ml-fixtures.ts';

let rt: Runtime;
const config = parseTrainingConfig({});

beforeAll(async () => {
  rt = await openNodeRuntime();
  await fixtureLab(rt);
});

describe('alert context', () => {
  it('gathers the alert per window, key features, clusters, money flows and its label', async () => {
    // addr-3: a multiple of 3 has a cluster; the ring gives it flows in and out.
    const alertId = rows<{ alert_id: string }>(
      await rt.db.query(`SELECT alert_id FROM alerts WHERE address = 'addr-3' ORDER BY processing_date LIMIT 1`),
    )[0]!.alert_id;
    const ctx = (await alertContext(rt.db, alertId))!;
    expect(ctx.address).toBe('addr-3');
    expect(ctx.windows.map((w) => w.windowDays)).toEqual([7, 30]);
    const w = ctx.windows[0]!;
    expect(w.typology).toBe('PEEL_CHAIN');
    expect(['low', 'medium', 'high', 'critical']).toContain(w.severity);
    expect(w.volumeUsd).toBeGreaterThan(0);
    expect(w.riskIndicators).toEqual(['small_transactions', 'long_chain']);
    expect(w.evidence).toBeNull();
    expect(w.label).toBeNull();
    // Key features in the alert's own snapshots, only those the export has.
    expect(ctx.features).toHaveLength(2);
    const names = ctx.features[0]!.values.map((v) => v.name);
    expect(names).toEqual(
      expect.arrayContaining(['degree_in', 'total_in_usd', 'burst_factor', 'regularity_score', 'is_exchange_like']),
    );
    expect(names).not.toContain('pagerank');
    expect(typeof ctx.features[0]!.values.find((v) => v.name === 'is_exchange_like')!.value).toBe('boolean');
    expect(ctx.clusters.map((c) => c.clusterId)).toContain(`cluster_same_entity_addr-3_${w.processingDate}`);
    // The fixture's flows: in from addr-2 (ring), addr-4 (back) and addr-118 (hop of 5, mod 120); out to addr-4.
    const flows7 = ctx.flows.filter((f) => f.windowDays === 7 && f.processingDate === w.processingDate);
    expect(
      flows7
        .filter((f) => f.direction === 'in')
        .map((f) => f.counterparty)
        .sort(),
    ).toEqual(['addr-118', 'addr-2', 'addr-4']);
    expect(flows7.filter((f) => f.direction === 'out').map((f) => f.counterparty)).toEqual(['addr-4']);
    for (const f of ctx.flows) expect(f.amountUsd).toBeGreaterThan(0);
  });

  it('limits flows per direction, shows a saved label, and binds the id (no injection)', async () => {
    const alertId = rows<{ alert_id: string }>(
      await rt.db.query(`SELECT alert_id FROM alerts WHERE address = 'addr-6' LIMIT 1`),
    )[0]!.alert_id;
    const ctx = (await alertContext(rt.db, alertId, { flowsPerDirection: 1 }))!;
    const perKey = new Map<string, number>();
    for (const f of ctx.flows)
      perKey.set(
        `${f.processingDate}/${f.windowDays}/${f.direction}`,
        (perKey.get(`${f.processingDate}/${f.windowDays}/${f.direction}`) ?? 0) + 1,
      );
    expect(Math.max(...perKey.values())).toBe(1);
    await saveLabel(rt.db, { alertId, label: 1, labeledBy: 'miner:test' });
    const after = (await alertContext(rt.db, alertId))!;
    for (const w of after.windows)
      expect(w.label).toMatchObject({ label: 1, source: 'miner', labeledBy: 'miner:test' });
    expect(after.windows[0]!.label!.labeledAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await alertContext(rt.db, "x' OR 1=1 --")).toBeNull();
    expect(await alertContext(rt.db, 'no-such-alert')).toBeNull();
  });
});

describe('retrain and refresh the queue', () => {
  it('queues at random while the labels hold one class, then by the model, never an alert already labelled', async () => {
    // The previous test saved one illicit label: one class only.
    const first = await retrainQueue(rt.db, { config, strategy: 'uncertainty', batch: 10 });
    expect(first.strategy).toBe('random');
    expect(first.trainedOn).toBeNull();
    expect(first.notes.join(' ')).toMatch(/both classes/);
    expect(first.queue).toHaveLength(10);
    expect(first.queue.every((q) => q.p === null)).toBe(true);

    // A labeller works through queues, the ground truth answering.
    const truth = new Map(
      rows<{ alert_id: string; y: number }>(
        await rt.db.query(`SELECT alert_id, CAST(is_illicit AS INTEGER) AS y FROM ground_truth`),
      ).map((r) => [r.alert_id, r.y]),
    );
    let queue = first.queue;
    const labelled = new Set<string>();
    for (let round = 1; round <= 4; round++) {
      for (const q of queue) {
        await saveLabel(rt.db, {
          alertId: q.alertId,
          label: truth.get(q.alertId) === 1 ? 1 : 0,
          labeledBy: 'miner:test',
        });
        labelled.add(q.alertId);
      }
      const next = await retrainQueue(rt.db, { config, strategy: 'uncertainty', batch: 10, round });
      expect(next.strategy).toBe('uncertainty');
      expect(next.trainedOn!.learner).toBe('logistic');
      // Every alert labelled so far, each with one or more windows (rows).
      expect(next.trainedOn!.alerts).toBe(labelled.size + 1);
      expect(next.trainedOn!.rows).toBeGreaterThanOrEqual(next.trainedOn!.alerts);
      expect(next.queue).toHaveLength(10);
      expect(new Set(next.queue.map((q) => q.alertId)).size).toBe(10);
      for (const q of next.queue) {
        expect(labelled.has(q.alertId)).toBe(false);
        expect(q.p).toBeGreaterThanOrEqual(0);
        expect(q.p).toBeLessThanOrEqual(1);
      }
      expect(next.queue.map((q) => q.rank)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      queue = next.queue;
    }
  });

  it('ranks the diversity and margin queues too', async () => {
    for (const strategy of ['margin', 'diversity'] as const) {
      const r = await retrainQueue(rt.db, { config, strategy, batch: 5 });
      expect(r.strategy).toBe(strategy);
      expect(r.queue).toHaveLength(5);
    }
  });

  it('says which step it is on, counts no label taken back, and stops when cancelled', async () => {
    const phases: RetrainPhase[] = [];
    const before = await retrainQueue(rt.db, {
      config,
      strategy: 'uncertainty',
      batch: 3,
      onPhase: (p) => phases.push(p),
    });
    expect(phases).toEqual([...RETRAIN_PHASES]);
    // Label the top alert, then take the label back: the next model trains without it, and the
    // alert is unlabelled again, so it can be queued again.
    const top = before.queue[0]!;
    const saved = await saveLabel(rt.db, { alertId: top.alertId, label: 1, labeledBy: 'miner:test' });
    const withLabel = await retrainQueue(rt.db, { config, strategy: 'uncertainty', batch: 3 });
    expect(withLabel.trainedOn!.positives).toBeGreaterThan(before.trainedOn!.positives);
    expect(withLabel.queue.map((q) => q.alertId)).not.toContain(top.alertId);
    await retractLabel(rt.db, saved.lastEventId!);
    const undone = await retrainQueue(rt.db, { config, strategy: 'uncertainty', batch: 3 });
    expect(undone.trainedOn).toEqual(before.trainedOn);
    expect(undone.queue.map((q) => q.alertId)).toEqual(before.queue.map((q) => q.alertId));

    const controller = new AbortController();
    const cancelled = retrainQueue(rt.db, {
      config,
      strategy: 'uncertainty',
      batch: 3,
      signal: controller.signal,
      onPhase: () => controller.abort(),
    });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
  });
});
