// Plans and repositories against the real database (embedded, or DATABASE_URL).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/store/conn.js';
import {
  getDocument,
  getDocumentBytes,
  insertDocuments,
  listDocuments,
  listDocumentsOf,
  countDocumentsByState,
  setDocumentState,
  transitionDocuments,
} from '../../src/store/documents-repo.js';
import { addEvent, documentTimeline, fileTimeline } from '../../src/store/events-repo.js';
import { getFileBytes, listFiles, listReceipts, lockFile, setFileState, STAGED_PART_BYTES, storeFile } from '../../src/store/files-repo.js';
import { listInterchanges, recordInterchange } from '../../src/store/interchanges-repo.js';
import { listOutbound, queueOutbound, setControlNumber, setOutboundState, takeControlNumber } from '../../src/store/outbound-repo.js';
import { listPosted, recordPosted } from '../../src/store/posted-repo.js';
import * as sql from '../../src/store/sql/index.js';
import { DOCUMENT_STATES, FILE_STATES, type DocumentState } from '../../src/store/types.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

let serial = 0;
/** Distinct bytes per call (so each is a new file) unless `text` is given. */
function bytesOf(text = `ISA*00*file ${++serial}~`): Buffer {
  return Buffer.from(text, 'latin1');
}

function interchangeInput(fileId: number, controlNumber: string, over: Partial<sql.NewInterchange> = {}) {
  return {
    fileId,
    byteOffset: 0,
    byteLength: 100,
    senderQualifier: 'ZZ',
    senderId: 'ACME',
    receiverQualifier: 'ZZ',
    receiverId: 'US',
    controlNumber,
    usage: 'P',
    state: 'accepted' as const,
    ...over,
  };
}

/** A file holding one interchange with `count` 850s; returns the ids. */
async function seed(partner: string, count: number, setId = '850') {
  const set = 'ST*850*0001~BEG*00~SE*3*0001~';
  const text = `HEAD${set.repeat(count)}TAIL ${++serial}`;
  const { file } = await storeFile(db, { partner, channel: 'folder', sourceName: `in-${serial}.edi`, bytes: bytesOf(text) });
  const { interchange } = await recordInterchange(db, interchangeInput(file.id, String(100000000 + serial).padStart(9, '0'), { senderId: partner }));
  const docs = await insertDocuments(
    db,
    Array.from({ length: count }, (_, i) => ({
      fileId: file.id,
      interchangeId: interchange.id,
      groupControl: '1',
      version: '004010',
      setId,
      controlNumber: String(i + 1).padStart(4, '0'),
      byteOffset: 'HEAD'.length + i * set.length,
      byteLength: set.length,
    })),
    { stage: 'split', actor: 'system', message: 'split from the file' },
  );
  return { file, interchange, docs };
}

describe('files and receipts', () => {
  it('store a file once per partner + sha256; the same bytes again are a duplicate receipt of the same file', async () => {
    const bytes = bytesOf();
    const first = await storeFile(db, { partner: 'acme', channel: 'sftp', sourceName: 'a.edi', bytes, metadata: { remotePath: '/out/a.edi' } });
    expect(first.duplicate).toBe(false);
    expect(first.file).toMatchObject({
      partner: 'acme',
      channel: 'sftp',
      sourceName: 'a.edi',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      state: 'received',
      reason: null,
      metadata: { remotePath: '/out/a.edi' },
    });
    expect(first.receipt).toMatchObject({ fileId: first.file.id, duplicate: false, sourceName: 'a.edi' });

    const again = await storeFile(db, { partner: 'acme', channel: 'folder', sourceName: 'a-resent.edi', bytes });
    expect(again.duplicate).toBe(true);
    expect(again.file.id).toBe(first.file.id);
    expect(again.receipt).toMatchObject({ fileId: first.file.id, duplicate: true, sourceName: 'a-resent.edi', channel: 'folder' });
    expect((await listReceipts(db, first.file.id)).map((r) => r.duplicate)).toEqual([false, true]);

    const otherPartner = await storeFile(db, { partner: 'globex', channel: 'sftp', sourceName: 'a.edi', bytes });
    expect(otherPartner.duplicate).toBe(false);
    expect(otherPartner.file.id).not.toBe(first.file.id);
    expect((await getFileBytes(db, first.file.id))?.equals(bytes)).toBe(true);
  });

  it('keep one file when the same bytes arrive on 5 connections at once', async () => {
    const bytes = bytesOf();
    const other = db.another(5);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        withTransaction(other, (tx) => storeFile(tx, { partner: 'race', channel: 'sftp', sourceName: `r${i}`, bytes })),
      ),
    );
    expect(new Set(results.map((r) => r.file.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await listReceipts(db, results[0]!.file.id)).toHaveLength(5);
  });

  it('store a file larger than one staged part whole, in its transaction, with no large object left behind', async () => {
    // 3 parts and a bit: every byte value, so a part boundary that shifted or re-encoded a byte shows.
    const bytes = Buffer.alloc(STAGED_PART_BYTES * 3 + 1234);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 13)) & 0xff;
    const objects = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_largeobject_metadata')).rows[0]!.n;
    const before = await objects();
    // Rolled back: neither the file nor its staged bytes stay.
    await expect(
      withTransaction(db, async (tx) => {
        await storeFile(tx, { partner: 'big', channel: 'sftp', sourceName: 'big.edi', bytes });
        throw new Error('intake failed after storing');
      }),
    ).rejects.toThrow('intake failed after storing');
    expect(await objects()).toBe(before);
    const { file, duplicate } = await withTransaction(db, (tx) => storeFile(tx, { partner: 'big', channel: 'sftp', sourceName: 'big.edi', bytes }));
    expect(duplicate).toBe(false);
    expect(file.size).toBe(bytes.length);
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect((await getFileBytes(db, file.id))?.equals(bytes)).toBe(true);
    expect(await objects()).toBe(before);
    // The same bytes again: a duplicate receipt of the same file.
    const again = await withTransaction(db, (tx) => storeFile(tx, { partner: 'big', channel: 'folder', sourceName: 'big-again.edi', bytes }));
    expect(again).toMatchObject({ duplicate: true, file: { id: file.id } });
    expect(await objects()).toBe(before);
  });

  it('change file state only from an allowed state, and list files by state', async () => {
    const { file } = await storeFile(db, { partner: 'acme', channel: 'sftp', sourceName: 'x.edi', bytes: bytesOf() });
    expect(await setFileState(db, { id: file.id, from: ['split'], to: 'rejected' })).toBeUndefined();
    const rejected = await setFileState(db, { id: file.id, from: ['received'], to: 'rejected', reason: 'not X12: no ISA' });
    expect(rejected).toMatchObject({ state: 'rejected', reason: 'not X12: no ISA' });
    const listed = await listFiles(db, { state: 'rejected', partner: 'acme' });
    expect(listed.map((f) => f.id)).toContain(file.id);
    expect(listed.every((f) => f.state === 'rejected')).toBe(true);
    await withTransaction(db, async (tx) => expect((await lockFile(tx, file.id, 'replay'))?.id).toBe(file.id));
  });

  it('lets a file be validated while it is split, but keeps out a second split and a replay', async () => {
    const { file } = await storeFile(db, { partner: 'acme', channel: 'sftp', sourceName: 'locks.edi', bytes: bytesOf() });
    /** Whether `holder` gets the lock within 300 ms while a split holds it (and writes its progress, as a split does). */
    const canLockDuringSplit = async (holder: 'split' | 'validate' | 'replay') => {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const splitHolds = new Promise<void>((r) => (locked = r));
      const split = withTransaction(db, async (tx) => {
        await lockFile(tx, file.id, 'split');
        await tx.query(`UPDATE ${db.schema}.files SET split_offset = split_offset WHERE id = $1`, [file.id]);
        locked();
        await held;
      });
      await splitHolds;
      try {
        return await withTransaction(db, async (tx) => {
          await tx.query(`SET LOCAL lock_timeout = '300ms'`);
          return (await lockFile(tx, file.id, holder))?.id === file.id;
        }).catch((e: { code?: string }) => (e.code === '55P03' ? false : Promise.reject(e)));
      } finally {
        release();
        await split;
      }
    };
    expect(await canLockDuringSplit('validate')).toBe(true);
    expect(await canLockDuringSplit('split')).toBe(false);
    expect(await canLockDuringSplit('replay')).toBe(false);
  });
});

describe('interchanges', () => {
  it('record a new one, find it again on a re-run, and mark another file with the same sender + ISA13 as duplicate', async () => {
    const { file } = await storeFile(db, { partner: 'acme', channel: 'sftp', sourceName: 'i1.edi', bytes: bytesOf() });
    const created = await recordInterchange(db, interchangeInput(file.id, '000000905'));
    expect(created.outcome).toBe('created');
    expect(created.interchange).toMatchObject({ controlNumber: '000000905', state: 'accepted', duplicateOf: null });

    const rerun = await recordInterchange(db, interchangeInput(file.id, '000000905'));
    expect(rerun).toMatchObject({ outcome: 'existing', interchange: { id: created.interchange.id } });

    const { file: second } = await storeFile(db, { partner: 'acme', channel: 'sftp', sourceName: 'i2.edi', bytes: bytesOf() });
    const dup = await recordInterchange(db, interchangeInput(second.id, '000000905'));
    expect(dup.outcome).toBe('duplicate');
    expect(dup.interchange).toMatchObject({ state: 'duplicate', duplicateOf: created.interchange.id, fileId: second.id });
    expect(dup.original?.id).toBe(created.interchange.id);
    // A re-run of the duplicate's file finds the duplicate row again (and its original).
    expect(await recordInterchange(db, interchangeInput(second.id, '000000905'))).toMatchObject({
      outcome: 'existing',
      interchange: { id: dup.interchange.id },
      original: { id: created.interchange.id },
    });

    // Another sender may use the same ISA13.
    const other = await recordInterchange(db, interchangeInput(second.id, '000000905', { senderId: 'GLOBEX', byteOffset: 500 }));
    expect(other.outcome).toBe('created');
    expect((await listInterchanges(db, second.id)).map((i) => i.state)).toEqual(['duplicate', 'accepted']);
  });

  it('let exactly one of two concurrent transactions own a sender + ISA13 (partial unique index)', async () => {
    const files = await Promise.all(
      [1, 2].map((i) => storeFile(db, { partner: 'acme', channel: 'sftp', sourceName: `c${i}.edi`, bytes: bytesOf() })),
    );
    const other = db.another(2);
    const outcomes = await Promise.all(
      files.map(({ file }) => withTransaction(other, (tx) => recordInterchange(tx, interchangeInput(file.id, '000777777')))),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'duplicate']);
    const original = outcomes.find((o) => o.outcome === 'created')!.interchange;
    expect(outcomes.find((o) => o.outcome === 'duplicate')!.interchange.duplicateOf).toBe(original.id);
  });
});

describe('documents', () => {
  it('insert many in one statement with their first event; a re-run inserts nothing', async () => {
    const { file, interchange, docs } = await seed('acme', 3);
    expect(docs.map((d) => [d.controlNumber, d.state, d.attempts])).toEqual([
      ['0001', 'parsed', 0],
      ['0002', 'parsed', 0],
      ['0003', 'parsed', 0],
    ]);
    const again = await insertDocuments(db, [
      {
        fileId: file.id,
        interchangeId: interchange.id,
        groupControl: '1',
        version: '004010',
        setId: '850',
        controlNumber: '0002',
        // A re-run finds the set at the same place (migration 2: documents are unique by interchange + byte offset).
        byteOffset: docs[1]!.byteOffset,
        byteLength: docs[1]!.byteLength,
      },
    ]);
    expect(again).toEqual([]);
    expect(await listDocumentsOf(db, { fileId: file.id })).toHaveLength(3);
    const timeline = await documentTimeline(db, docs[0]!.id);
    expect(timeline).toMatchObject([{ stage: 'split', actor: 'system', fromState: null, toState: 'parsed', fileId: file.id }]);
  });

  it('change state only from an allowed state, with one event that names the state really left', async () => {
    const { docs } = await seed('acme', 1);
    const id = docs[0]!.id;
    const validated = await setDocumentState(db, {
      id,
      from: ['parsed'],
      to: 'validated',
      findings: [{ code: 'W1' }],
      stage: 'validate',
      actor: 'system',
      event: { message: 'valid', details: { warnings: 1 } },
    });
    expect(validated).toMatchObject({ state: 'validated', previousState: 'parsed', findings: [{ code: 'W1' }] });

    // A late or repeated validate job cannot move it again, nor can anything skip ahead.
    expect(await setDocumentState(db, { id, from: ['parsed'], to: 'validated', stage: 'validate', actor: 'system', event: { message: 'again' } })).toBeUndefined();
    expect(await setDocumentState(db, { id, from: ['mapped'], to: 'posted' })).toBeUndefined();

    const mapped = await setDocumentState(db, {
      id,
      from: ['validated'],
      to: 'mapped',
      documentType: 'purchase-order',
      document: { poNumber: 'PO-1', lines: [{ qty: 2 }] },
      countAttempt: true,
      stage: 'map',
      actor: 'system',
      event: { message: 'mapped' },
    });
    expect(mapped).toMatchObject({ state: 'mapped', documentType: 'purchase-order', document: { poNumber: 'PO-1' }, attempts: 1 });
    // undefined keeps a field; null clears it.
    const rejected = await setDocumentState(db, {
      id,
      from: ['mapped'],
      to: 'rejected',
      failedStage: 'post',
      reason: 'unknown product',
      stage: 'post',
      actor: 'system',
      event: { message: 'rejected by the target' },
    });
    expect(rejected).toMatchObject({ failedStage: 'post', reason: 'unknown product', documentType: 'purchase-order', findings: [{ code: 'W1' }] });
    const replayed = await setDocumentState(db, {
      id,
      from: ['rejected', 'failed'],
      to: 'mapped',
      failedStage: null,
      reason: null,
      stage: 'replay',
      actor: 'alice',
      event: { message: 'replayed by alice' },
    });
    expect(replayed).toMatchObject({ state: 'mapped', failedStage: null, reason: null, document: { poNumber: 'PO-1' } });

    const timeline = await documentTimeline(db, id);
    expect(timeline.map((e) => [e.stage, e.actor, e.fromState, e.toState, e.message])).toEqual([
      ['split', 'system', null, 'parsed', 'split from the file'],
      ['validate', 'system', 'parsed', 'validated', 'valid'],
      ['map', 'system', 'validated', 'mapped', 'mapped'],
      ['post', 'system', 'mapped', 'rejected', 'rejected by the target'],
      ['replay', 'alice', 'rejected', 'mapped', 'replayed by alice'],
    ]);
    expect(timeline[1]!.details).toEqual({ warnings: 1 });
  });

  it('move a batch in one statement, skipping the documents the guard refuses', async () => {
    const { file, docs } = await seed('acme', 4);
    await setDocumentState(db, { id: docs[3]!.id, from: ['parsed'], to: 'cancelled' });
    const changed = await transitionDocuments(db, {
      from: ['parsed'],
      stage: 'validate',
      actor: 'system',
      changes: docs.map((d, i) =>
        i === 1
          ? { id: d.id, to: 'rejected' as const, failedStage: 'validate' as const, reason: 'AK5 R', findings: [{ code: 'E' }], event: { message: 'invalid' } }
          : { id: d.id, to: 'validated' as const, event: { message: 'valid' } },
      ),
    });
    expect(changed.map((d) => [d.id, d.previousState, d.state])).toEqual([
      [docs[0]!.id, 'parsed', 'validated'],
      [docs[1]!.id, 'parsed', 'rejected'],
      [docs[2]!.id, 'parsed', 'validated'],
    ]);
    expect(await countDocumentsByState(db, { fileId: file.id })).toEqual({ validated: 2, rejected: 1, cancelled: 1 });
    const events = (await fileTimeline(db, file.id)).filter((e) => e.stage === 'validate');
    expect(events.map((e) => e.message)).toEqual(['valid', 'invalid', 'valid']);
  });

  it('never apply a change twice when the same batch runs on two connections at once', async () => {
    const { file, docs } = await seed('acme', 20);
    const other = db.another(2);
    const transition: sql.Transition = {
      from: ['parsed'],
      stage: 'validate',
      actor: 'system',
      changes: docs.map((d) => ({ id: d.id, to: 'validated', event: { message: 'valid' } })),
    };
    const [a, b] = await Promise.all([1, 2].map(() => withTransaction(other, (tx) => transitionDocuments(tx, transition))));
    expect(a!.length + b!.length).toBe(20);
    expect((await fileTimeline(db, file.id)).filter((e) => e.stage === 'validate')).toHaveLength(20);
  });

  it('show one document with its partner and envelope, and its own bytes cut from the file', async () => {
    const { file, docs } = await seed('globex', 2);
    const detail = await getDocument(db, docs[1]!.id);
    expect(detail).toMatchObject({ partner: 'globex', sourceName: file.sourceName, senderId: 'globex', setId: '850', controlNumber: '0002' });
    expect((await getDocumentBytes(db, docs[1]!.id))?.toString('latin1')).toBe('ST*850*0001~BEG*00~SE*3*0001~');
    expect(await getDocument(db, 987654321)).toBeUndefined();
  });

  it('list newest first with filters and keyset pages', async () => {
    await seed('initech', 5, '810');
    await seed('initech', 2, '850');
    const first = await listDocuments(db, { partner: 'initech', setId: '810', limit: 2 });
    expect(first.items.map((d) => d.setId)).toEqual(['810', '810']);
    expect(first.items[0]!.id).toBeGreaterThan(first.items[1]!.id);
    const pages = [first];
    while (pages.at(-1)!.next !== null) pages.push(await listDocuments(db, { partner: 'initech', setId: '810', limit: 2, before: pages.at(-1)!.next! }));
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(new Set(pages.flatMap((p) => p.items.map((d) => d.id))).size).toBe(5);

    const initech = await listDocuments(db, { partner: 'initech', state: ['parsed'], limit: 100 });
    expect(initech.items).toHaveLength(7);
    expect(initech.next).toBeNull();
    expect((await listDocuments(db, { partner: 'initech', state: 'posted' })).items).toEqual([]);
  });

  it('accept every state the code knows, and nothing else (code constants match the CHECK constraints)', async () => {
    const { docs, file } = await seed('acme', 1);
    const all: readonly DocumentState[] = DOCUMENT_STATES;
    for (const state of DOCUMENT_STATES) {
      expect(await setDocumentState(db, { id: docs[0]!.id, from: all, to: state })).toMatchObject({ state });
    }
    await expect(setDocumentState(db, { id: docs[0]!.id, from: all, to: 'bogus' as DocumentState })).rejects.toMatchObject({ code: '23514' });
    for (const state of FILE_STATES) expect(await setFileState(db, { id: file.id, from: FILE_STATES, to: state })).toMatchObject({ state });
  });
});

describe('events, outbound, control numbers, posted ledger', () => {
  it('record file events in order', async () => {
    const { file } = await storeFile(db, { partner: 'acme', channel: 'sftp', sourceName: 'e.edi', bytes: bytesOf() });
    await addEvent(db, { fileId: file.id, stage: 'intake', actor: 'system', toState: 'received', message: 'received from sftp' });
    await addEvent(db, { fileId: file.id, stage: 'split', actor: 'system', fromState: 'received', toState: 'rejected', message: 'no ISA', details: { offset: 0 } });
    expect((await fileTimeline(db, file.id)).map((e) => [e.stage, e.toState, e.details])).toEqual([
      ['intake', 'received', {}],
      ['split', 'rejected', { offset: 0 }],
    ]);
  });

  it('queue an acknowledgment once per source key, then mark it sent', async () => {
    const entry = { partner: 'acme', kind: '997', sourceKey: `interchange:${++serial}:997`, payload: 'ISA*00~' };
    const queued = await queueOutbound(db, entry);
    expect(queued).toMatchObject({ state: 'ready', kind: '997', sentAt: null });
    expect(await queueOutbound(db, entry)).toBeUndefined();
    const sent = await setOutboundState(db, { id: queued!.id, from: ['ready'], to: 'sent' });
    expect(sent?.sentAt).toBeInstanceOf(Date);
    expect(await setOutboundState(db, { id: queued!.id, from: ['ready'], to: 'sent' })).toBeUndefined();
    expect((await listOutbound(db, { partner: 'acme', state: 'ready' })).map((o) => o.id)).not.toContain(queued!.id);
  });

  it('hand out unique control numbers to 20 concurrent takers', async () => {
    const other = db.another(20);
    const numbers = await Promise.all(Array.from({ length: 20 }, () => takeControlNumber(other, 'acme', 'isa')));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await takeControlNumber(db, 'acme', 'gs')).toBe(1);
    expect(await takeControlNumber(db, 'globex', 'isa')).toBe(1);
  });

  it('give a rolled-back number back, continue a set sequence, and wrap after the maximum', async () => {
    await expect(
      withTransaction(db, async (tx) => {
        expect(await takeControlNumber(tx, 'wrap', 'st')).toBe(1);
        throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect(await takeControlNumber(db, 'wrap', 'st')).toBe(1);
    await setControlNumber(db, 'wrap', 'st', 9998);
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push(await takeControlNumber(db, 'wrap', 'st', 9999));
    expect(taken).toEqual([9998, 9999, 1]);
  });

  it('record a posting once per target + natural key', async () => {
    const { docs } = await seed('acme', 1);
    const first = await recordPosted(db, { target: 'recording', naturalKey: 'acme:PO-1', documentId: docs[0]!.id, targetRef: 'rec-1', payload: { poNumber: 'PO-1' } });
    expect(first).toMatchObject({ created: true, posted: { targetRef: 'rec-1', payload: { poNumber: 'PO-1' } } });
    const again = await recordPosted(db, { target: 'recording', naturalKey: 'acme:PO-1', documentId: docs[0]!.id, targetRef: 'rec-2' });
    expect(again).toMatchObject({ created: false, posted: { targetRef: 'rec-1' } });
    expect(await listPosted(db, { documentId: docs[0]!.id })).toHaveLength(1);
  });
});

describe('plans', () => {
  it('are pure { text, values } with the schema quoted', () => {
    const plan = sql.findFileByHash('edi', 'acme', 'ab');
    expect(plan).toEqual({ text: expect.stringContaining('FROM "edi".files'), values: ['acme', 'ab'] });
    expect(() => sql.getFile('edi"; DROP TABLE x; --', 1)).toThrow(/invalid schema name/);
    const list = sql.listDocuments('edi', { state: 'rejected', partner: 'acme', before: 10, limit: 5 });
    // One state as `=`, so documents_state_idx serves it in id order; several as ANY.
    expect(list.values).toEqual(['rejected', 10, 'acme', 5]);
    expect(list.text).toMatch(/d\.state = \$1 AND d\.id < \$2 AND f\.partner = \$3\s+ORDER BY d\.id DESC LIMIT \$4/);
    expect(sql.listDocuments('edi', { state: ['rejected', 'failed'] }).text).toMatch(/d\.state = ANY\(\$1::text\[\]\)/);
  });
});
