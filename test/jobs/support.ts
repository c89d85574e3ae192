// Test inputs and helpers for the pipeline tests: X12 written with our writer, a gateway with short
// retries, a target that fails on cue, and small queries over the store.
import type { Database } from '../../src/store/database.js';
import { listDocumentsOf } from '../../src/store/documents-repo.js';
import { documentTimeline } from '../../src/store/events-repo.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/jobs/gateway.js';
import { recordingTarget } from '../../src/jobs/recording-target.js';
import { TargetError, type PostingTarget, type PostRequest } from '../../src/jobs/ports.js';
import { defaultDelimiters, serializeInterchange, type SegmentData } from '../../src/x12/writer.js';

/** A short 850 that validates and maps. */
export const goodPo = (n: number): SegmentData[] => [
  ['BEG', '00', 'SA', `PO${1000 + n}`, '', '20261101'],
  ['REF', 'DP', '038'],
  ['DTM', '002', '20261115'],
  ['PO1', '1', '12', 'EA', '4.25', 'PE', 'UP', '012345678905'],
  ['CTT', '1'],
];
/** goodPo as a replace (BEG01 05): posted each time it comes, where the same original again is a duplicate. */
export const replacePo = (n: number): SegmentData[] => goodPo(n).map((s) => (s[0] === 'BEG' ? ['BEG', '05', ...s.slice(2)] : s));
/** Valid against the spec, but the 850 map needs PO102 and PO103. */
export const unmappablePo = (n: number): SegmentData[] => [
  ['BEG', '00', 'SA', `PO${1000 + n}`, '', '20261101'],
  ['PO1', '1', '', '', '4.25', 'PE', 'UP', '012345678905'],
  ['CTT', '1'],
];
/** BEG05 (mandatory date) missing: a validation error, AK5 R. */
export const invalidPo = (n: number): SegmentData[] => [
  ['BEG', '00', 'SA', `PO${1000 + n}`],
  ['PO1', '1', '12', 'EA', '4.25', 'PE', 'UP', '012345678905'],
  ['CTT', '1'],
];

export interface X12Input {
  control: number;
  sender?: string;
  sets?: number;
  body?: (n: number) => SegmentData[];
  ackRequested?: '0' | '1';
}

/** One interchange, one group of 850s. */
export function x12(opts: X12Input): string {
  const sender = opts.sender ?? 'ACMEBUYER';
  return serializeInterchange(
    {
      header: {
        senderQualifier: 'ZZ', senderId: sender, receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY',
        date: '261101', time: '1230', version: '00401', controlNumber: opts.control, usage: 'P', ackRequested: opts.ackRequested ?? '0',
      },
      groups: [
        {
          functionalId: 'PO', senderId: sender, receiverId: 'OURCOMPANY', date: '20261101', time: '1230',
          controlNumber: String(opts.control), version: '004010',
          transactions: Array.from({ length: opts.sets ?? 1 }, (_, i) => ({
            id: '850', controlNumber: String(1 + i).padStart(4, '0'), body: (opts.body ?? goodPo)(opts.control * 100 + i),
          })),
        },
      ],
    },
    { delimiters: defaultDelimiters('00401'), lineBreak: '\n' },
  );
}

export const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

/** Short retries and expiry, a fast safety-net poll; the post stage gets those retries only (no retry window) and probes a down target soon. */
export function testGateway(db: Database, options: Partial<GatewayOptions> = {}): Promise<Gateway> {
  return startGateway({
    db,
    retry: { limit: 2, delaySeconds: 0, backoff: false },
    jobExpireSeconds: 10,
    pollIntervalMs: 200,
    ...options,
    posting: { retryForSeconds: 0, breaker: { coolDownSeconds: 0.2, maxCoolDownSeconds: 1 }, ...options.posting },
  });
}

/** A recording target that runs `script` first; `script` may throw a TargetError (the try number counts per natural key, from 1). */
export function scriptedTarget(db: Database, script: (req: PostRequest, attempt: number) => void): PostingTarget & { calls: PostRequest[] } {
  const inner = recordingTarget(db);
  const attempts = new Map<string, number>();
  const calls: PostRequest[] = [];
  return {
    ...inner,
    calls,
    async post(req) {
      calls.push(req);
      const attempt = (attempts.get(req.naturalKey) ?? 0) + 1;
      attempts.set(req.naturalKey, attempt);
      script(req, attempt);
      return inner.post(req);
    },
  };
}

export const transient = (message = 'target unavailable (503)') => new TargetError('transient', message);
export const business = (message = 'unknown product 012345678905') => new TargetError('business', message, { fault: 'ValidationError' });

export async function documentsOf(db: Database, fileId: number) {
  return listDocumentsOf(db, { fileId });
}

export async function timelineOf(db: Database, documentId: number) {
  return (await documentTimeline(db, documentId)).map((e) => [e.stage, e.actor, e.fromState, e.toState]);
}
