// The dead-letter queue's handler: a job that ran out of tries where nobody could record it (its
// process died on the last try) still leaves its file or documents 'failed', once.
import { describe, expect, it } from 'vitest';
import { deadLetterHandler } from '../../src/jobs/failures.js';
import { storeFile, getFile } from '../../src/store/files-repo.js';
import { recordInterchange } from '../../src/store/interchanges-repo.js';
import { getDocument, insertDocuments, setDocumentState } from '../../src/store/documents-repo.js';
import { documentTimeline } from '../../src/store/events-repo.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
let serial = 0;

async function seed() {
  const { file } = await storeFile(db, { partner: 'acme', channel: 'test', sourceName: `d-${++serial}.edi`, bytes: Buffer.from(`ISA dead letter ${serial}`) });
  const { interchange } = await recordInterchange(db, {
    fileId: file.id, byteOffset: 0, byteLength: 10, senderQualifier: 'ZZ', senderId: 'ACME', receiverQualifier: 'ZZ', receiverId: 'US',
    controlNumber: String(serial).padStart(9, '0'), usage: 'P', state: 'accepted',
  });
  const docs = await insertDocuments(db, [0, 1].map((i) => ({
    fileId: file.id, interchangeId: interchange.id, groupControl: '1', version: '004010', setId: '850',
    controlNumber: `000${i + 1}`, byteOffset: 10 + i * 10, byteLength: 10,
  })));
  return { file, docs };
}

// pg-boss's expiry output; our own fail() writes { message, code }.
const job = (id: string, data: object) => ({ id, data: data as never, retryCount: 2, retryLimit: 2, output: { value: { message: 'job failed by timeout in active state' } } });

describe('dead-letter queue', () => {
  it('marks what the job was about as failed, only from the state the stage works on, once', async () => {
    const { file, docs } = await seed();
    await setDocumentState(db, { id: docs[1]!.id, from: ['parsed'], to: 'validated' });
    const second = await seed();
    const handler = deadLetterHandler({ db });
    const jobs = [
      job('a', { stage: 'map', documentId: docs[1]!.id }),
      job('b', { stage: 'validate', fileId: file.id }),
      job('c', { stage: 'split', fileId: second.file.id }),
      job('d', { stage: 'post', documentId: docs[1]!.id }), // not 'mapped': nothing to do
      { ...job('e', { stage: 'post', documentId: second.docs[0]!.id }), output: { message: 'connection reset', code: 'ECONNRESET' } },
    ];
    await setDocumentState(db, { id: second.docs[0]!.id, from: ['parsed'], to: 'mapped' });
    expect(await handler.run(jobs)).toEqual(new Map());
    expect(await handler.run(jobs)).toEqual(new Map()); // a second delivery changes nothing

    expect(await getDocument(db, docs[0]!.id)).toMatchObject({
      state: 'failed', failedStage: 'validate', reason: 'validate gave up after its retries; last error: job failed by timeout in active state',
    });
    expect(await getDocument(db, docs[1]!.id)).toMatchObject({ state: 'failed', failedStage: 'map' });
    expect(await getFile(db, second.file.id)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^split gave up/) });
    expect(await getDocument(db, second.docs[0]!.id)).toMatchObject({ state: 'failed', failedStage: 'post', reason: 'post gave up after its retries; last error: connection reset' });
    const timeline = await documentTimeline(db, docs[1]!.id);
    expect(timeline.filter((e) => e.toState === 'failed').map((e) => [e.stage, e.fromState, e.details])).toEqual([
      ['map', 'validated', { deadLetter: 'a', error: 'job failed by timeout in active state' }],
    ]);
  });
});
