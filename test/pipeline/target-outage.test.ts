// The posting target goes away for longer than a document's first retries last (issue 10, finding 6):
// a 120 s outage used to leave 1,000 of 1,000 documents `failed` after 6,000 calls. Here, at a small
// scale with short settings: 100 documents, an outage of 12 s while the old retries (1 s doubling,
// 3 retries) gave up after about 7 s. Every document must wait (mapped) and post once on its own when
// the target answers again, and the circuit breaker must keep the calls during the outage to a few
// probes instead of documents x tries.
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { postingTargetReadiness } from '../../src/jobs/readiness.js';
import { recordingTarget } from '../../src/jobs/recording-target.js';
import { TargetError, type PostingTarget } from '../../src/jobs/ports.js';
import type { Logger } from '../../src/logging/logger.js';
import { OdooError } from '../../src/odoo/client/errors.js';
import { countDocumentsByState, listDocumentsOf } from '../../src/store/documents-repo.js';
import { documentTimeline } from '../../src/store/events-repo.js';
import { tableIn } from '../../src/store/identifiers.js';
import { bytes, x12 } from '../jobs/support.js';
import { expectEachPostedOnce } from '../support/gateway-children.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const FILES = 10;
const SETS = 10;
const DOCS = FILES * SETS;
const OUTAGE_MS = 12_000;

/** The recording target behind a switch: while down, every call fails as Odoo's client does when nothing listens. */
function switchableTarget(): PostingTarget & { down: boolean; calls: number; callsWhileDown: number } {
  const inner = recordingTarget(db);
  const t = {
    ...inner,
    down: true,
    calls: 0,
    callsWhileDown: 0,
    async post(req: Parameters<PostingTarget['post']>[0]) {
      t.calls++;
      if (t.down) {
        t.callsWhileDown++;
        throw TargetError.from(new OdooError('ODOO_UNREACHABLE', 'cannot reach Odoo at http://127.0.0.1:8069 for sale.order.search: connect ECONNREFUSED 127.0.0.1:8069'));
      }
      return inner.post(req);
    },
  };
  return t;
}

/** Keeps the breaker's log lines (the test checks they come once per change, not per document). */
function keptLog(): Logger & { lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (_details: object, message?: string) => void lines.push({ level, message: message ?? '' });
  const log = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return log;
}

let gateway: Gateway | undefined;
afterAll(async () => {
  await gateway?.stop();
});

/** Starts the file's gateway (the one before it stopped) with short post settings. */
async function start(target: PostingTarget, log: Logger, posting: NonNullable<Parameters<typeof startGateway>[0]['posting']>, retry = { limit: 3, delaySeconds: 1, backoff: true }): Promise<Gateway> {
  await gateway?.stop();
  gateway = await startGateway({ db, target, log, retry, jobExpireSeconds: 10, pollIntervalMs: 200, posting });
  return gateway;
}

describe('an outage of the posting target longer than the first retries', () => {
  it(`leaves none of ${DOCS} documents failed, costs a few probes, and resumes on its own`, { timeout: 45_000 }, async () => {
    const target = switchableTarget();
    const log = keptLog();
    // The old post stage gave up after the gateway's retries: tries at 0, 1, 2 and 4 s, about 7 s in all.
    const gateway = await start(target, log, { retryForSeconds: 3600, maxRetryDelaySeconds: 2, breaker: { failures: 5, coolDownSeconds: 0.5, maxCoolDownSeconds: 2 } });
    const t0 = Date.now();
    for (let i = 0; i < FILES; i++) {
      await gateway.intake({ partner: 'acme', channel: 'test', sourceName: `outage-${i}.edi`, bytes: bytes(x12({ control: 1001 + i, sets: SETS })) });
    }
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - t0)));
    const duringOutage = await countDocumentsByState(db);
    // /readyz shows the breaker, as information: the gateway still receives files.
    const readiness = postingTargetReadiness(gateway);
    expect(readiness.informational).toBe(true);
    expect(await readiness.check()).toMatch(/^recording is down: circuit breaker (open|half-open), down since .*, documents wait in mapped/);
    target.down = false;
    const upAt = Date.now();
    const settled = await waitSettled(20_000);
    const resumeMs = Date.now() - upAt;
    const final = await countDocumentsByState(db);
    const figures = { documents: DOCS, outageSeconds: OUTAGE_MS / 1000, failed: final.failed ?? 0, callsDuringOutage: target.callsWhileDown, calls: target.calls, resumeSeconds: settled ? resumeMs / 1000 : null };
    console.log(`target outage figures ${JSON.stringify(figures)}`);

    // Waiting, not given up on: at the end of the outage every document was mapped (or being tried).
    expect(duringOutage.failed ?? 0).toBe(0);
    expect(final).toEqual({ posted: DOCS });
    await gateway.idle(10_000);
    await expectEachPostedOnce(db, FILES, DOCS);
    // A few probes (the breaker opened after 5 failures, calls already in flight, then one probe per
    // cool-down of 0.5 s doubling to 2 s), not 100 documents x 4 tries.
    expect(target.callsWhileDown).toBeLessThanOrEqual(25);
    // The first probe after the target came back closed the breaker and woke the waiting documents.
    expect(resumeMs).toBeLessThan(6_000);
    expect(target.calls - target.callsWhileDown).toBe(DOCS);
    expect(await readiness.check()).toBeUndefined();

    // The breaker's state changes are logged once each, not once per document.
    const opened = log.lines.filter((l) => /posting target .* is down/.test(l.message));
    const closed = log.lines.filter((l) => /posting target .* answers again/.test(l.message));
    expect(opened.map((l) => l.level)).toEqual(['warn']);
    expect(closed.map((l) => l.level)).toEqual(['info']);
    // The timeline of a document does not grow by one event per deferral: only tries are noted.
    const events = await db.query<{ n: number }>(`SELECT max(n)::int AS n FROM (SELECT count(*) AS n FROM ${tableIn(db.schema, 'events')} WHERE stage = 'post' GROUP BY document_id) c`);
    expect(events.rows[0]!.n).toBeLessThanOrEqual(10);
  });
});

describe('a target that stays down past the retry window', () => {
  it('fails the waiting documents once the window ran out, with a last try each, not before', { timeout: 30_000 }, async () => {
    const target = switchableTarget();
    const WINDOW = 3;
    await start(target, keptLog(), { retryForSeconds: WINDOW, maxRetryDelaySeconds: 1, breaker: { failures: 2, coolDownSeconds: 0.5, maxCoolDownSeconds: 1 } }, { limit: 1, delaySeconds: 1, backoff: true });
    const t0 = Date.now();
    const { fileId } = await gateway!.intake({ partner: 'acme', channel: 'test', sourceName: 'down-for-good.edi', bytes: bytes(x12({ control: 1101, sets: 5 })) });
    await gateway!.idle(20_000);
    const docs = await listDocumentsOf(db, { fileId });
    expect(docs.map((d) => d.state)).toEqual(Array(5).fill('failed'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(WINDOW * 1000);
    for (const doc of docs) {
      expect(doc.reason).toMatch(/^post failed \d+ times; last error: cannot reach Odoo at http:\/\/127\.0\.0\.1:8069/);
      const last = (await documentTimeline(db, doc.id)).at(-1)!;
      expect(last).toMatchObject({ fromState: 'posting', toState: 'failed' });
      expect(last.details['retriedForSeconds']).toBeGreaterThanOrEqual(WINDOW);
    }
    // The first failures opened the breaker; then probes, and one last try per document at the window's end.
    expect(target.calls).toBeLessThanOrEqual(5 + 3 * 6 + 5);
  });
});

/** Until every document is posted or failed (true), or `ms` passed (false). */
async function waitSettled(ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const counts = await countDocumentsByState(db);
    if ((counts.posted ?? 0) + (counts.failed ?? 0) === DOCS) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
