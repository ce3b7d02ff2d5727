import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rows, scalar, type Database, type SqlValue } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';
import {
  LABEL_SOURCES,
  MIGRATIONS,
  MigrationError,
  appliedMigrations,
  createEffectiveLabelsView,
  migrate,
  migrationId,
  migrationsAsClickHouse,
  migrationsAsDuckDB,
  type Migration,
} from '../src/migrations/index.ts';

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

/** A fresh database with the minimal raw_alerts the SOT loader would have created. */
async function freshDb(): Promise<Database> {
  db = await openNodeDatabase();
  await db.exec(`CREATE TABLE raw_alerts (
    window_days USMALLINT, processing_date DATE, alert_id VARCHAR, address VARCHAR,
    typology_type VARCHAR, severity VARCHAR, alert_confidence_score FLOAT)`);
  return db;
}

async function addAlert(d: Database, alertId: string, address: string, windowDays = 7): Promise<void> {
  await d.exec(
    `INSERT INTO raw_alerts (window_days, processing_date, alert_id, address, typology_type, severity, alert_confidence_score)
     VALUES (?, DATE '2025-06-01', ?, ?, 'PEEL_CHAIN', 'high', 0.8)`,
    [windowDays, alertId, address],
  );
}

interface EventInput {
  alert_id?: string | null;
  address?: string | null;
  label: number | null;
  source: string | null;
  at: string | null;
  confidence?: number | null;
  by?: string;
}

/** Append one label event; returns its event_id. */
async function addEvent(d: Database, e: EventInput): Promise<number> {
  const params: SqlValue[] = [
    e.alert_id ?? null,
    e.address ?? null,
    e.label,
    e.source,
    e.confidence ?? null,
    e.at,
    e.by ?? 'tester',
  ];
  const t = await d.query(
    `INSERT INTO label_events (alert_id, address, label, label_source, label_confidence, labeled_at, labeled_by)
     VALUES (?, ?, ?, ?, ?, ?::TIMESTAMP, ?) RETURNING event_id`,
    params,
  );
  return Number(scalar(t));
}

/** Set a row's own label columns, the way the proxy rule will (UPDATE). */
async function setRowLabel(
  d: Database,
  alertId: string,
  label: number,
  source: string | null,
  at: string | null,
  windowDays?: number,
): Promise<void> {
  await d.exec(
    `UPDATE raw_alerts SET label = ?, label_source = ?, label_confidence = 0.6, labeled_at = ?::TIMESTAMP, labeled_by = 'proxy-rule'
     WHERE alert_id = ? AND (? IS NULL OR window_days = ?)`,
    [label, source, at, alertId, windowDays ?? null, windowDays ?? null],
  );
}

interface Effective {
  alert_id: string;
  window_days: number;
  label: number | null;
  label_source: string | null;
  labeled_at: number | null;
  labeled_by: string | null;
  label_scope: string | null;
  candidate_count: number;
}

async function effective(d: Database): Promise<Map<string, Effective>> {
  const t = await d.query(
    `SELECT alert_id, window_days, label, label_source, labeled_at, labeled_by, label_scope, candidate_count
     FROM effective_labels ORDER BY alert_id, window_days`,
  );
  const out = new Map<string, Effective>();
  for (const r of rows<Effective>(t)) {
    out.set(`${r.alert_id}/${r.window_days}`, { ...r, candidate_count: Number(r.candidate_count) });
  }
  return out;
}

function pick(m: Map<string, Effective>, key: string): Effective {
  const r = m.get(key);
  if (!r) throw new Error(`no effective label row for ${key}`);
  return r;
}

/** Everything a migration could touch, without ids that change on every CREATE OR REPLACE. */
async function schemaSnapshot(d: Database): Promise<unknown> {
  const q = async (sql: string) =>
    JSON.stringify(rows(await d.query(sql)), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return {
    columns: await q(
      `SELECT table_name, column_name, column_index, data_type, is_nullable, column_default, comment
       FROM duckdb_columns() WHERE NOT internal ORDER BY table_name, column_index`,
    ),
    views: await q(`SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY view_name`),
    types: await q(`SELECT type_name, logical_type, labels FROM duckdb_types() WHERE type_name = 'label_source_type'`),
    sequences: await q(`SELECT sequence_name, start_value, last_value FROM duckdb_sequences()`),
    constraints: await q(
      `SELECT table_name, constraint_type, expression FROM duckdb_constraints() ORDER BY table_name, constraint_type, expression`,
    ),
    migrations: await q(`SELECT * FROM _migrations ORDER BY version`),
    alerts: await q(`SELECT * FROM raw_alerts ORDER BY alert_id, window_days`),
    events: await q(`SELECT * FROM label_events ORDER BY event_id`),
  };
}

describe('migrate()', () => {
  it('applies the migrations in order and records each in _migrations', async () => {
    const d = await freshDb();
    const before = Date.now();
    const result = await migrate(d);
    const after = Date.now();

    expect(result.applied).toEqual([
      '001_label_columns',
      '002_label_events',
      '003_label_event_batches',
      '004_label_event_retractions',
    ]);
    const recorded = await appliedMigrations(d);
    expect(recorded.map((m) => [m.version, m.name])).toEqual([
      [1, 'label_columns'],
      [2, 'label_events'],
      [3, 'label_event_batches'],
      [4, 'label_event_retractions'],
    ]);
    for (const m of recorded) {
      // applied_at is UTC wall-clock time at millisecond precision.
      expect(m.appliedAt).toBeGreaterThanOrEqual(before - 1);
      expect(m.appliedAt).toBeLessThanOrEqual(after + 1);
    }

    const cols = rows<{ column_name: string; data_type: string; is_nullable: boolean; column_default: string | null }>(
      await d.query(
        `SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns()
         WHERE table_name = 'raw_alerts' AND column_index > 7 ORDER BY column_index`,
      ),
    );
    expect(cols.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ['label', 'TINYINT', true],
      ['label_source', "ENUM('proxy', 'miner', 'community', 'validated')", true],
      ['label_confidence', 'FLOAT', true],
      ['labeled_at', 'TIMESTAMP', true],
      ['labeled_by', 'VARCHAR', false],
    ]);
    const views = rows(await d.query(`SELECT view_name FROM duckdb_views() WHERE view_name = 'effective_labels'`));
    expect(views).toHaveLength(1);
  });

  it('reports nothing before the first run', async () => {
    const d = await freshDb();
    expect(await appliedMigrations(d)).toEqual([]);
  });

  it('is idempotent: a second run applies nothing and leaves schema and rows as they were', async () => {
    const d = await freshDb();
    await migrate(d);
    await addAlert(d, 'a1', 'addr1');
    await setRowLabel(d, 'a1', 1, 'proxy', '2025-06-02 00:00:00');
    await addEvent(d, { alert_id: 'a1', label: 0, source: 'miner', at: '2025-06-03 00:00:00' });
    const first = await schemaSnapshot(d);

    const again = await migrate(d);
    expect(again.applied).toEqual([]);
    expect(await schemaSnapshot(d)).toEqual(first);
  });

  it("existing alerts get labeled_by = '' and no label", async () => {
    const d = await freshDb();
    await addAlert(d, 'old', 'addr1');
    await migrate(d);
    const r = rows(await d.query(`SELECT label, label_source, labeled_by FROM raw_alerts`));
    expect(r).toEqual([{ label: null, label_source: null, labeled_by: '' }]);
  });

  it('rolls back a failing migration completely and names it in the error', async () => {
    const d = await freshDb();
    await migrate(d);
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken_on_purpose',
      description: 'fails after two statements that must be undone',
      statements: () => [
        'ALTER TABLE raw_alerts ADD COLUMN half_done INTEGER',
        'CREATE TABLE half_done_table (a INTEGER)',
        'SELECT * FROM no_such_table',
      ],
    };
    const failure = migrate(d, [...MIGRATIONS, broken]);
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(new RegExp(`${migrationId(broken)}.*no_such_table`, 's'));

    const halfCol = await d.query(
      `SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'raw_alerts' AND column_name = 'half_done'`,
    );
    expect(Number(scalar(halfCol))).toBe(0);
    const halfTable = await d.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'half_done_table'`);
    expect(Number(scalar(halfTable))).toBe(0);
    expect((await appliedMigrations(d)).map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));

    // The connection is usable afterwards and a corrected migration applies.
    const fixed: Migration = {
      ...broken,
      name: 'fixed',
      statements: () => ['ALTER TABLE raw_alerts ADD COLUMN done INTEGER'],
    };
    expect((await migrate(d, [...MIGRATIONS, fixed])).applied).toEqual([migrationId(fixed)]);
  });

  it('rolls back a shipped migration that fails half-way, keeping the earlier ones', async () => {
    const d = await freshDb();
    // A stray table under the name 002 wants makes its CREATE TABLE fail after CREATE SEQUENCE.
    await d.exec('CREATE TABLE label_events (stray INTEGER)');
    await expect(migrate(d)).rejects.toThrow(/002_label_events/);
    expect((await appliedMigrations(d)).map((m) => m.version)).toEqual([1]);
    const seqs = await d.query(
      `SELECT count(*) FROM duckdb_sequences() WHERE sequence_name = 'label_events_event_id_seq'`,
    );
    expect(Number(scalar(seqs))).toBe(0);
  });

  it('refuses to run without raw_alerts', async () => {
    db = await openNodeDatabase();
    await expect(migrate(db)).rejects.toThrow(/raw_alerts/);
    expect(await appliedMigrations(db)).toEqual([]);
  });

  it('refuses a database migrated by a build that knows more migrations', async () => {
    const d = await freshDb();
    await migrate(d);
    await d.exec(`INSERT INTO _migrations VALUES (9, 'from_the_future', TIMESTAMP '2030-01-01')`);
    await expect(migrate(d)).rejects.toThrow(/009_from_the_future/);
  });
});

describe('effective_labels', () => {
  it('has exactly the documented columns', async () => {
    const d = await freshDb();
    await migrate(d);
    const cols = rows<{ column_name: string }>(
      await d.query(
        `SELECT column_name FROM duckdb_columns() WHERE table_name = 'effective_labels' ORDER BY column_index`,
      ),
    ).map((c) => c.column_name);
    expect(cols).toEqual([
      'alert_id',
      'address',
      'processing_date',
      'window_days',
      'label',
      'label_source',
      'label_confidence',
      'labeled_at',
      'labeled_by',
      'label_scope',
      'candidate_count',
    ]);
  });

  it('ranks sources validated > community > miner > proxy, whatever their times', async () => {
    const d = await freshDb();
    await migrate(d);
    for (const id of ['p', 'm', 'c', 'v']) await addAlert(d, id, `addr-${id}`);
    // Every alert has a proxy row label, newer than any event: time must not beat source.
    for (const id of ['p', 'm', 'c', 'v']) await setRowLabel(d, id, 1, 'proxy', '2025-12-31 00:00:00');
    // The stronger the source, the older its event.
    await addEvent(d, { alert_id: 'm', label: 0, source: 'miner', at: '2025-06-05 00:00:00' });
    await addEvent(d, { alert_id: 'c', label: 1, source: 'miner', at: '2025-06-05 00:00:00' });
    await addEvent(d, { alert_id: 'c', label: 0, source: 'community', at: '2025-06-04 00:00:00' });
    await addEvent(d, { alert_id: 'v', label: 1, source: 'miner', at: '2025-06-05 00:00:00' });
    await addEvent(d, { alert_id: 'v', label: 1, source: 'community', at: '2025-06-04 00:00:00' });
    await addEvent(d, { alert_id: 'v', label: 0, source: 'validated', at: '2025-06-03 00:00:00', by: 'oracle' });

    const e = await effective(d);
    expect(pick(e, 'p/7')).toMatchObject({ label: 1, label_source: 'proxy', label_scope: 'row', candidate_count: 1 });
    expect(pick(e, 'm/7')).toMatchObject({ label: 0, label_source: 'miner', label_scope: 'alert', candidate_count: 2 });
    expect(pick(e, 'c/7')).toMatchObject({
      label: 0,
      label_source: 'community',
      label_scope: 'alert',
      candidate_count: 3,
    });
    expect(pick(e, 'v/7')).toMatchObject({
      label: 0,
      label_source: 'validated',
      label_scope: 'alert',
      labeled_by: 'oracle',
      labeled_at: Date.UTC(2025, 5, 3),
      candidate_count: 4,
    });
  });

  it('takes the newest label within a source, not the last inserted', async () => {
    const d = await freshDb();
    await migrate(d);
    await addAlert(d, 'a', 'addr');
    await addEvent(d, { alert_id: 'a', label: 0, source: 'miner', at: '2025-06-09 00:00:00', by: 'newest' });
    await addEvent(d, { alert_id: 'a', label: 1, source: 'miner', at: '2025-06-01 00:00:00', by: 'older' });
    expect(pick(await effective(d), 'a/7')).toMatchObject({ label: 0, labeled_by: 'newest', candidate_count: 2 });
  });

  it('breaks exact ties by alert scope over address scope, then by the highest event_id', async () => {
    const d = await freshDb();
    await migrate(d);
    await addAlert(d, 'a', 'addr');
    await addAlert(d, 'b', 'addr2');
    const at = '2025-06-01 00:00:00';
    await addEvent(d, { alert_id: 'a', label: 1, source: 'community', at, by: 'alert-level' });
    // Inserted later (higher event_id), same source and time, but address-scoped: it loses.
    await addEvent(d, { address: 'addr', label: 0, source: 'community', at, by: 'address-level' });
    const first = await addEvent(d, { alert_id: 'b', label: 1, source: 'miner', at, by: 'first' });
    const second = await addEvent(d, { alert_id: 'b', label: 0, source: 'miner', at, by: 'second' });
    expect(second).toBeGreaterThan(first);

    const e = await effective(d);
    expect(pick(e, 'a/7')).toMatchObject({
      label: 1,
      labeled_by: 'alert-level',
      label_scope: 'alert',
      candidate_count: 2,
    });
    expect(pick(e, 'b/7')).toMatchObject({ label: 0, labeled_by: 'second', candidate_count: 2 });
  });

  it("applies an address label to all of the address's alerts unless an alert label of a higher source wins", async () => {
    const d = await freshDb();
    await migrate(d);
    await addAlert(d, 'x1', 'addrX', 7);
    await addAlert(d, 'x1', 'addrX', 30); // the same alert id in another window
    await addAlert(d, 'x2', 'addrX');
    await addAlert(d, 'x3', 'addrX');
    await addAlert(d, 'x4', 'addrX');
    await addAlert(d, 'y1', 'addrY');
    await addEvent(d, {
      address: 'addrX',
      label: 1,
      source: 'community',
      at: '2025-06-01 00:00:00',
      by: 'community-list',
    });
    // Higher source on one alert: wins over the address label even though older.
    await addEvent(d, { alert_id: 'x2', label: 0, source: 'validated', at: '2025-05-01 00:00:00', by: 'validator' });
    // Lower source on another, and newer: still loses to the address label.
    await addEvent(d, { alert_id: 'x3', label: 0, source: 'miner', at: '2025-07-01 00:00:00', by: 'miner' });
    // A proxy row label loses to the address label too.
    await setRowLabel(d, 'x4', 0, 'proxy', '2025-07-01 00:00:00');

    const e = await effective(d);
    for (const key of ['x1/7', 'x1/30']) {
      expect(pick(e, key)).toMatchObject({
        label: 1,
        label_source: 'community',
        label_scope: 'address',
        candidate_count: 1,
      });
    }
    expect(pick(e, 'x2/7')).toMatchObject({
      label: 0,
      label_source: 'validated',
      label_scope: 'alert',
      candidate_count: 2,
    });
    expect(pick(e, 'x3/7')).toMatchObject({
      label: 1,
      label_source: 'community',
      label_scope: 'address',
      candidate_count: 2,
    });
    expect(pick(e, 'x4/7')).toMatchObject({
      label: 1,
      label_source: 'community',
      label_scope: 'address',
      candidate_count: 2,
    });
    expect(pick(e, 'y1/7')).toMatchObject({ label: null, label_source: null, label_scope: null, candidate_count: 0 });
  });

  it('labels every row of an alert id through events, but a row label only its own row', async () => {
    const d = await freshDb();
    await migrate(d);
    await addAlert(d, 'w', 'addr', 7);
    await addAlert(d, 'w', 'addr', 90);
    await addAlert(d, 'v', 'addr', 7);
    await addAlert(d, 'v', 'addr', 90);
    await setRowLabel(d, 'w', 1, 'proxy', '2025-06-01 00:00:00', 90);
    await addEvent(d, { alert_id: 'v', label: 0, source: 'miner', at: '2025-06-01 00:00:00' });

    const e = await effective(d);
    expect(pick(e, 'w/7')).toMatchObject({ label: null, candidate_count: 0 });
    expect(pick(e, 'w/90')).toMatchObject({ label: 1, label_scope: 'row', candidate_count: 1 });
    expect(pick(e, 'v/7')).toMatchObject({ label: 0, label_scope: 'alert' });
    expect(pick(e, 'v/90')).toMatchObject({ label: 0, label_scope: 'alert' });
  });

  it('leaves unlabelled alerts with NULL labels, and ignores a row label that has no source', async () => {
    const d = await freshDb();
    await migrate(d);
    await addAlert(d, 'none', 'addr');
    await addAlert(d, 'sourceless', 'addr');
    await setRowLabel(d, 'sourceless', 1, null, '2025-06-01 00:00:00');
    const e = await effective(d);
    for (const key of ['none/7', 'sourceless/7']) {
      expect(pick(e, key)).toMatchObject({
        label: null,
        label_source: null,
        labeled_at: null,
        labeled_by: null,
        label_scope: null,
        candidate_count: 0,
      });
    }
  });

  it('treats a row label without labeled_at as older than any event of its source', async () => {
    const d = await freshDb();
    await migrate(d);
    await addAlert(d, 'a', 'addr');
    await setRowLabel(d, 'a', 1, 'miner', null);
    await addEvent(d, { address: 'addr', label: 0, source: 'miner', at: '2000-01-01 00:00:00' });
    expect(pick(await effective(d), 'a/7')).toMatchObject({ label: 0, label_scope: 'address', candidate_count: 2 });
  });

  it('keeps working when raw_alerts gains columns, and is rebuilt after a type change', async () => {
    const d = await freshDb();
    await migrate(d);
    await addAlert(d, 'a', 'addr');
    await d.exec('ALTER TABLE raw_alerts ADD COLUMN created_at TIMESTAMP');
    expect((await effective(d)).size).toBe(1);

    await d.exec('ALTER TABLE raw_alerts ALTER COLUMN window_days TYPE INTEGER');
    await expect(d.query('SELECT * FROM effective_labels')).rejects.toThrow(/view/i);
    await createEffectiveLabelsView(d);
    expect(pick(await effective(d), 'a/7').candidate_count).toBe(0);
  });
});

describe('label_events constraints', () => {
  // One migrated database for all cases: a rejected insert leaves nothing behind (checked below).
  let shared: Database;
  beforeAll(async () => {
    shared = await openNodeDatabase();
    await shared.exec(
      'CREATE TABLE raw_alerts (alert_id VARCHAR, address VARCHAR, processing_date DATE, window_days USMALLINT)',
    );
    await migrate(shared);
  });
  afterAll(async () => {
    await shared.close();
  });

  const at = '2025-06-01 00:00:00';
  const bad: [string, EventInput, RegExp][] = [
    ['a label other than 0/1', { alert_id: 'a', label: 2, source: 'miner', at }, /CHECK\(\("label" IN \(0, 1\)\)\)/],
    [
      'a NULL label',
      { alert_id: 'a', label: null, source: 'miner', at },
      /NOT NULL constraint failed: label_events\.label/,
    ],
    [
      'a confidence above 1',
      { alert_id: 'a', label: 1, source: 'miner', at, confidence: 1.5 },
      /label_confidence <= 1/,
    ],
    [
      'a negative confidence',
      { alert_id: 'a', label: 1, source: 'miner', at, confidence: -0.1 },
      /label_confidence >= 0/,
    ],
    ['no alert and no address', { label: 1, source: 'miner', at }, /alert_id IS NOT NULL\) OR \(address IS NOT NULL/],
    ['an empty alert id', { alert_id: '', label: 1, source: 'miner', at }, /alert_id != ''/],
    ['an empty address', { address: '', label: 1, source: 'miner', at }, /address != ''/],
    // The ENUM type is the check on sources: DuckDB cannot convert an unknown name.
    ['an unknown source', { alert_id: 'a', label: 1, source: 'oracle', at }, /Could not convert string 'oracle'/],
    [
      'a NULL source',
      { alert_id: 'a', label: 1, source: null, at },
      /NOT NULL constraint failed: label_events\.label_source/,
    ],
    [
      'no labeled_at',
      { alert_id: 'a', label: 1, source: 'miner', at: null },
      /NOT NULL constraint failed: label_events\.labeled_at/,
    ],
  ];

  it.each(bad)('rejects %s', async (_what, event, error) => {
    await expect(addEvent(shared, event)).rejects.toThrow(error);
    expect(Number(scalar(await shared.query('SELECT count(*) FROM label_events')))).toBe(0);
  });

  it('accepts well-formed alert and address events with increasing ids', async () => {
    const a = await addEvent(shared, { alert_id: 'a', label: 1, source: 'validated', at, confidence: 1 });
    const b = await addEvent(shared, { address: 'addr', label: 0, source: 'proxy', at, confidence: 0 });
    expect(b).toBeGreaterThan(a);
  });
});

describe('emitted SQL', () => {
  const ch = migrationsAsClickHouse();
  const duck = migrationsAsDuckDB();

  it('exports the source precedence in rank order', () => {
    expect(LABEL_SOURCES).toEqual(['proxy', 'miner', 'community', 'validated']);
  });

  it('adds the label columns to raw_alerts in ClickHouse types', () => {
    const enum8 = "Enum8('proxy' = 1, 'miner' = 2, 'community' = 3, 'validated' = 4)";
    for (const line of [
      'ALTER TABLE raw_alerts ADD COLUMN IF NOT EXISTS label Nullable(Int8) COMMENT',
      `ALTER TABLE raw_alerts ADD COLUMN IF NOT EXISTS label_source Nullable(${enum8}) COMMENT`,
      'ALTER TABLE raw_alerts ADD COLUMN IF NOT EXISTS label_confidence Nullable(Float32) COMMENT',
      'ALTER TABLE raw_alerts ADD COLUMN IF NOT EXISTS labeled_at Nullable(DateTime) COMMENT',
      "ALTER TABLE raw_alerts ADD COLUMN IF NOT EXISTS labeled_by String DEFAULT '' COMMENT",
      `  label_source ${enum8} COMMENT`,
    ]) {
      expect(ch).toContain(line);
    }
  });

  it('creates label_events as a MergeTree with its constraints, then the view', () => {
    expect(ch).toContain('CREATE TABLE IF NOT EXISTS label_events (\n  event_id UInt64 COMMENT');
    expect(ch).toContain('  alert_id Nullable(String) COMMENT');
    expect(ch).toContain('  labeled_at DateTime COMMENT');
    expect(ch).toContain(
      "ENGINE = MergeTree\nORDER BY (ifNull(alert_id, ''), ifNull(address, ''), labeled_at, event_id)",
    );
    expect(ch).toContain('  CONSTRAINT label_is_binary CHECK (label IN (0, 1))');
    expect(ch).toContain('  CONSTRAINT has_target CHECK (alert_id IS NOT NULL OR address IS NOT NULL)');
    expect(ch).toContain('CREATE OR REPLACE VIEW effective_labels AS');
    expect(ch).toContain('coalesce(a.labeled_at, toDateTime(0))');
    const order = ['-- 001_label_columns', '-- 002_label_events', 'CREATE OR REPLACE VIEW effective_labels'].map((s) =>
      ch.indexOf(s),
    );
    expect(order.every((pos, i) => pos >= 0 && (i === 0 || pos > (order[i - 1] ?? -1)))).toBe(true);
  });

  it('keeps DuckDB-only syntax out of the ClickHouse script and vice versa', () => {
    for (const duckOnly of ['CREATE TYPE', 'nextval', "'-infinity'", 'COMMENT ON', 'SET NOT NULL', 'CREATE SEQUENCE']) {
      expect(ch).not.toContain(duckOnly);
    }
    for (const chOnly of ['Nullable(', 'Enum8', 'MergeTree', 'toDateTime']) expect(duck).not.toContain(chOnly);
    expect(duck).toContain("CREATE TYPE label_source_type AS ENUM ('proxy', 'miner', 'community', 'validated');");
  });

  it('prints for DuckDB exactly the schema migrate() builds', async () => {
    const viaRunner = await freshDb();
    await migrate(viaRunner);
    const runnerSchema = rows(
      await viaRunner.query(
        `SELECT table_name, column_name, data_type, is_nullable, column_default, comment FROM duckdb_columns()
         WHERE table_name != '_migrations' AND NOT internal ORDER BY table_name, column_index`,
      ),
    );
    await viaRunner.close();

    const viaScript = await freshDb();
    await viaScript.exec(duck);
    const scriptSchema = rows(
      await viaScript.query(
        `SELECT table_name, column_name, data_type, is_nullable, column_default, comment FROM duckdb_columns()
         WHERE NOT internal ORDER BY table_name, column_index`,
      ),
    );
    expect(scriptSchema).toEqual(runnerSchema);
    expect(scriptSchema.length).toBeGreaterThan(20);
  });
});
