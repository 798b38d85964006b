import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/graph';
import { copyTestStore, type Records, type TestStore } from '../support/stores';

/**
 * Issue 16 item 4: idempotency keys and audit records are the database's to guarantee (lib/migrations.ts
 * write-records/0002-constraints), not a lock in one process, so they hold for every process and replica on the store.
 * Each rule is tried here straight against each writing system's database, on both dialects, as a second writer that
 * bypassed the product's code would: the database refuses it.
 */

const WRITING_SYSTEMS = ['case-registry', 'property-control'] as const;

describe.each(DIALECTS)('issue 16 item 4: the write bookkeeping enforced by the database, on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await copyTestStore(dialect);
  });
  afterAll(() => store?.drop());

  describe.each(WRITING_SYSTEMS)('in %s', (system) => {
    let db: Records;
    beforeAll(() => {
      db = store.records(system);
    });

    const now = '2026-06-30T08:00:00.000Z';
    const storeKey = (key: string) =>
      db.run(
        'insert into idempotency_keys (key, operation, request_hash, result, created_at) values (?, ?, ?, ?, ?)',
        key,
        'renewMeasure',
        'hash',
        '{}',
        now,
      );
    const audit = (key: string | null, outcome: string) =>
      db.run(
        `insert into audit_log (at, operation, actor, idempotency_key, input, outcome, code, field, rule, message, result)
         values (?, 'renewMeasure', null, ?, '{}', ?, null, null, null, null, null)`,
        now,
        key,
        outcome,
      );
    const auditRows = (key: string) =>
      db.all<{ outcome: string }>('select outcome from audit_log where idempotency_key = ? order by id', key);
    const newKey = () => `constraints-${randomUUID()}`;

    it('takes one ACCEPTED attempt per key and any number of replays, and refuses a second acceptance', async () => {
      const key = newKey();
      await storeKey(key);
      await audit(key, 'ACCEPTED');
      await audit(key, 'REPLAYED');
      await audit(key, 'REPLAYED');
      await expect(audit(key, 'ACCEPTED')).rejects.toThrow(/unique|audit_log_one_acceptance/i);
      expect((await auditRows(key)).map((r) => r.outcome)).toEqual(['ACCEPTED', 'REPLAYED', 'REPLAYED']);
    });

    it('refuses a second record under a stored key', async () => {
      const key = newKey();
      await storeKey(key);
      await expect(storeKey(key)).rejects.toThrow(/unique|primary key|duplicate/i);
      expect(await db.get('select count(*) as n from idempotency_keys where key = ?', key)).toEqual({ n: 1 });
    });

    it('refuses an ACCEPTED or REPLAYED attempt naming no stored key, and takes refusals under any key', async () => {
      const key = newKey();
      await expect(audit(key, 'ACCEPTED')).rejects.toThrow(/names a stored idempotency key/);
      await expect(audit(key, 'REPLAYED')).rejects.toThrow(/names a stored idempotency key/);
      expect(await auditRows(key)).toEqual([]);
      // A refused or failed attempt stores no key: its record stands alone (a malformed key included).
      await audit(key, 'REFUSED');
      await audit(key, 'FAILED');
      await audit(null, 'REFUSED');
      expect((await auditRows(key)).map((r) => r.outcome)).toEqual(['REFUSED', 'FAILED']);
    });

    it('never changes or deletes an audit record', async () => {
      const key = newKey();
      await storeKey(key);
      await audit(key, 'ACCEPTED');
      await expect(db.run(`update audit_log set outcome = 'REFUSED' where idempotency_key = ?`, key)).rejects.toThrow(
        /never changed|a row is never update/,
      );
      await expect(db.run('delete from audit_log where idempotency_key = ?', key)).rejects.toThrow(/never deleted|a row is never delete/);
      expect((await auditRows(key)).map((r) => r.outcome)).toEqual(['ACCEPTED']);
    });

    it('never changes or deletes a stored key and its first result', async () => {
      const key = newKey();
      await storeKey(key);
      await expect(db.run(`update idempotency_keys set result = '{"other":1}' where key = ?`, key)).rejects.toThrow(
        /never changed|a row is never update/,
      );
      await expect(db.run('delete from idempotency_keys where key = ?', key)).rejects.toThrow(/never deleted|a row is never delete/);
      expect(await db.get('select result from idempotency_keys where key = ?', key)).toEqual({ result: '{}' });
    });
  });
});
