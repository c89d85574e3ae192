// Sending AS2 when the partner's side goes wrong, against a whole gateway runtime: its delivery stage
// sends each queued 850 to a partner server on loopback (a bare node http server using the AS2
// protocol code as the partner's software would) that refuses, returns another MIC, never sends the
// asynchronous MDN, refuses asynchronously, or is down; and a lost answer between the gateway and
// itself (two mirrored partner files) through a proxy that drops the first answer.
import { randomBytes, randomInt } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as2Headers, buildMdn, newMessageId, parseDispositionNotificationOptions, unpackMessage, type MdnDisposition, type Mic,
} from '../../src/as2/index.js';
import { sweepAs2 } from '../../src/jobs/as2-mdn.js';
import { silentLogger } from '../../src/logging/logger.js';
import { useTestDatabase } from '../support/db.js';
import { makeIdentity, tempDir, type TempDir, type TestIdentity } from './cms/openssl.js';
import { as2PartnerFile, freePort, order850, post, startAs2Gateway, until, type As2Gateway } from './harness.js';

const db = useTestDatabase();

let dir: TempDir;
let gateway: As2Gateway;
let us: TestIdentity;
let them: TestIdentity;
let partnerServer: Server;
let partnerPort: number;
let downPort: number;
let proxy: DroppingProxy;
/** What the partner server got: path -> Message-IDs in order. */
const seen = new Map<string, string[]>();

/** How the partner server answers a message POSTed to /<behaviour>. */
type Behaviour = 'ok' | 'negative' | 'mic-mismatch' | 'wrong-id' | 'async-silent' | 'async-negative' | 'async-negative-early';

/** A TCP proxy that forwards everything, except that the first connection's answer is dropped (a lost MDN). */
class DroppingProxy {
  connections = 0;
  private server: TcpServer | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly targetPort: number) {}
  async up(): Promise<void> {
    this.server = createTcpServer((client) => {
      const first = ++this.connections === 1;
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      if (first) {
        // The receiver answered, so it committed what it took: the answer never reaches the sender.
        upstream.once('data', () => {
          upstream.destroy();
          client.destroy();
        });
      } else {
        upstream.pipe(client);
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

beforeAll(async () => {
  dir = tempDir('as2-send-faults-');
  us = makeIdentity(dir, 'ourco');
  them = makeIdentity(dir, 'partner');
  partnerServer = createHttpServer((req, res) => void answerAsPartner(req, res));
  await new Promise<void>((resolve) => partnerServer.listen(0, '127.0.0.1', resolve));
  partnerPort = (partnerServer.address() as { port: number }).port;
  downPort = await freePort();
  const port = await freePort();
  proxy = new DroppingProxy(port);
  await proxy.up();
  const ourUrl = `http://127.0.0.1:${port}/as2/OURCO`;
  const sender = (code: string, behaviour: Behaviour | 'down', outbound: Record<string, unknown> = {}) => as2PartnerFile({
    isa: code.toUpperCase(), usIsa: 'OURCO', as2Id: code.toUpperCase(),
    url: behaviour === 'down' ? `http://127.0.0.1:${downPort}/ok` : `http://127.0.0.1:${partnerPort}/${behaviour}`,
    certificate: them, us: { id: 'OURCO', url: ourUrl, identity: us },
    documents: { inbound: ['997'], outbound: ['850'] },
    transport: { outbound: { timeoutSeconds: 10, ...outbound } },
  });
  gateway = await startAs2Gateway(db, join(dir.path, 'gw'), port, {
    _gateway: JSON.stringify({ us: { isa: { qualifier: 'ZZ', id: 'OURCO' }, gs: 'OURCO' } }),
    negative: sender('negative', 'negative'),
    micbad: sender('micbad', 'mic-mismatch'),
    wrongid: sender('wrongid', 'wrong-id'),
    silent: sender('silent', 'async-silent', { mdn: 'async', mdnWithinMinutes: 1 }),
    refuser: sender('refuser', 'async-negative', { mdn: 'async' }),
    early: sender('early', 'async-negative-early', { mdn: 'async' }),
    down: sender('down', 'down'),
    // The gateway sends to itself through the proxy: loopout's messages come in as loopin's.
    loopout: as2PartnerFile({
      isa: 'LOOPIN', usIsa: 'LOOPOUT', as2Id: 'LOOP-IN', url: `http://127.0.0.1:${proxy.port}/as2/LOOP-IN`,
      certificate: them, us: { id: 'LOOP-OUT', identity: us }, documents: { inbound: ['997'], outbound: ['850'] },
      transport: { outbound: { timeoutSeconds: 10 } },
    }),
    loopin: as2PartnerFile({ isa: 'LOOPOUT', usIsa: 'LOOPIN', as2Id: 'LOOP-OUT', certificate: us, us: { id: 'LOOP-IN', identity: them } }),
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await proxy?.down();
  await new Promise((resolve) => partnerServer?.close(resolve));
  dir?.remove();
});

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The partner's MDN, signed with its key as asked. */
function partnerMdn(req: IncomingMessage, disposition: MdnDisposition, mic: Mic | undefined, humanText: string, originalMessageId = String(req.headers['message-id'])): { headers: Record<string, string>; body: Uint8Array } {
  const built = buildMdn({
    originalMessageId, reportingUa: 'partner software', finalRecipient: String(req.headers['as2-to']),
    disposition, ...(mic ? { receivedContentMic: mic } : {}), humanText, sign: { keyPair: them.pair, digest: 'sha256' },
  });
  const headers = { ...as2Headers({ from: String(req.headers['as2-to']), to: String(req.headers['as2-from']), messageId: newMessageId('partner.example') }), 'Content-Type': built.contentType };
  return { headers, body: built.body };
}

const REFUSAL: MdnDisposition = { type: 'processed', modifier: 'error', text: 'decryption-failed' };

async function answerAsPartner(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await bodyOf(req);
  const behaviour = (req.url ?? '').slice(1) as Behaviour;
  const messageId = String(req.headers['message-id']);
  seen.set(behaviour, [...(seen.get(behaviour) ?? []), messageId]);
  const opened = unpackMessage(String(req.headers['content-type']), body, {
    ourKeys: [them.pair], partnerCertificates: [us.pair.certificate], requireSigned: true, requireEncrypted: true,
    micAlgorithms: parseDispositionNotificationOptions(req.headers['disposition-notification-options'] as string | undefined).micAlgorithms,
  });
  const send = (m: { headers: Record<string, string>; body: Uint8Array }) => {
    res.writeHead(200, m.headers);
    res.end(Buffer.from(m.body));
  };
  const asyncMdn = () => {
    const m = partnerMdn(req, REFUSAL, undefined, 'Your message could not be decrypted with our certificate.');
    return post(String(req.headers['receipt-delivery-option']), m.headers, m.body);
  };
  switch (behaviour) {
    case 'ok':
      return send(partnerMdn(req, { type: 'processed' }, opened.mic, 'Received.'));
    case 'negative':
      return send(partnerMdn(req, REFUSAL, undefined, 'Your message could not be decrypted with our certificate.'));
    case 'mic-mismatch':
      return send(partnerMdn(req, { type: 'processed' }, { ...opened.mic, value: Buffer.alloc(32, 7).toString('base64') }, 'Received.'));
    case 'wrong-id':
      // The right MIC (the same bytes went before under another Message-ID), the wrong message.
      return send(partnerMdn(req, { type: 'processed' }, opened.mic, 'Received.', '<an-earlier-one@ourco.example>'));
    case 'async-silent':
      res.end('thanks\n');
      return;
    case 'async-negative':
      res.end('thanks\n');
      setTimeout(() => void asyncMdn().catch(() => undefined), 100);
      return;
    case 'async-negative-early': {
      // Some partners' software sends the asynchronous MDN before it answers the POST.
      const answer = await asyncMdn();
      res.end(`thanks (the MDN was answered ${answer.status})\n`);
      return;
    }
  }
}

interface Entry {
  id: string;
  state: string;
  reason: string | null;
  attempts: number;
  remote_path: string | null;
}

/** An 850 queued for `partner`, with the business document whose timeline the AS2 events go on. */
async function queue850(partner: string, sender: string, receiver: string): Promise<{ outboundId: string; documentId: string }> {
  const { rows } = await db.query<{ outbound_id: string; id: string }>(
    `WITH o AS (INSERT INTO ${db.schema}.outbound (partner, kind, source_key, payload) VALUES ($1, '850', $2, $3) RETURNING id)
     INSERT INTO ${db.schema}.outbound_documents (partner, set_id, source_model, source_id, state, outbound_id)
     SELECT $1, '850', 'purchase.order', $4, 'built', id FROM o RETURNING id, outbound_id`,
    [partner, `test:${partner}:${randomBytes(4).toString('hex')}`, order850(sender, receiver, randomInt(1, 999_999_999)), randomInt(1, 2 ** 31 - 1)],
  );
  return { outboundId: rows[0]!.outbound_id, documentId: rows[0]!.id };
}

const entryOf = async (id: string) =>
  (await db.query<Entry>(`SELECT id, state, reason, attempts, remote_path FROM ${db.schema}.outbound WHERE id = $1`, [id])).rows[0]!;

interface Sent {
  message_id: string;
  state: string;
  reason: string | null;
  mdn_disposition: string | null;
  mdn_due_at: Date | null;
}

const sentOf = async (outboundId: string) =>
  (await db.query<Sent>(`SELECT message_id, state, reason, mdn_disposition, mdn_due_at FROM ${db.schema}.as2_messages WHERE direction = 'out' AND outbound_id = $1 ORDER BY id`, [outboundId])).rows;

const deliverEvents = async (outboundId: string) =>
  (await db.query<{ message: string; to_state: string | null; details: Record<string, unknown> }>(
    `SELECT message, to_state, details FROM ${db.schema}.events WHERE stage = 'deliver' AND details->>'outboundId' = $1 ORDER BY id`, [outboundId])).rows;

const timeline = async (documentId: string) =>
  (await db.query<{ stage: string; message: string; from_state: string | null; to_state: string | null; details: Record<string, unknown> }>(
    `SELECT stage, message, from_state, to_state, details FROM ${db.schema}.events WHERE outbound_document_id = $1 ORDER BY id`, [documentId])).rows;

const finished = (e: Entry) => e.state !== 'ready';

// Deliveries and retries run on the gateway's own loops: more time than one wait (until) takes.
describe('sending AS2 when the partner refuses or does not answer', { timeout: 60_000 }, () => {
  it('a negative synchronous MDN fails the entry at once with the MDN\'s words, no retry', async () => {
    const { outboundId } = await queue850('negative', 'OURCO', 'NEGATIVE');
    const entry = await until('the entry to finish', () => entryOf(outboundId), finished);
    expect(entry).toMatchObject({ state: 'failed', attempts: 1 });
    expect(entry.reason).toContain('processed/error: decryption-failed');
    expect(entry.reason).toContain('could not be decrypted with our certificate');
    const [sent, ...more] = await sentOf(outboundId);
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ state: 'mdn-error', mdn_disposition: 'automatic-action/MDN-sent-automatically; processed/error: decryption-failed' });
    expect(seen.get('negative')).toEqual([sent!.message_id]);
    const events = await deliverEvents(outboundId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ to_state: 'failed', details: { code: 'AS2_MDN_NEGATIVE' } });
  });

  it('an MDN returning another MIC fails the entry at once: AS2_MIC_MISMATCH', async () => {
    const { outboundId } = await queue850('micbad', 'OURCO', 'MICBAD');
    const entry = await until('the entry to finish', () => entryOf(outboundId), finished);
    expect(entry).toMatchObject({ state: 'failed', attempts: 1 });
    expect(entry.reason).toMatch(/returns the MIC \S+ \(sha-256\), we sent \S+ \(sha-256\)/);
    expect((await sentOf(outboundId))[0]).toMatchObject({ state: 'mdn-error' });
    expect((await deliverEvents(outboundId))[0]).toMatchObject({ to_state: 'failed', details: { code: 'AS2_MIC_MISMATCH' } });
  });

  it('a synchronous MDN for another Message-ID (with the right MIC) proves nothing: the entry fails, AS2_MDN_MALFORMED', async () => {
    const { outboundId } = await queue850('wrongid', 'OURCO', 'WRONGID');
    const entry = await until('the entry to finish', () => entryOf(outboundId), finished);
    expect(entry).toMatchObject({ state: 'failed', attempts: 1 });
    expect(entry.reason).toContain('answers Message-ID <an-earlier-one@ourco.example>');
    expect((await sentOf(outboundId))[0]).toMatchObject({ state: 'mdn-error' });
    expect((await deliverEvents(outboundId))[0]).toMatchObject({ to_state: 'failed', details: { code: 'AS2_MDN_MALFORMED' } });
  });

  it('an asynchronous MDN that never comes: sent, then mdn-overdue after mdnWithinMinutes, said on the document\'s timeline', async () => {
    const { outboundId, documentId } = await queue850('silent', 'OURCO', 'SILENT');
    const entry = await until('the entry to be sent', () => entryOf(outboundId), finished);
    expect(entry.state).toBe('sent');
    const [sent] = await sentOf(outboundId);
    expect(sent!.state).toBe('awaiting-mdn');
    // mdnWithinMinutes: 1.
    const window = sent!.mdn_due_at!.getTime() - Date.now();
    expect(window).toBeGreaterThan(30_000);
    expect(window).toBeLessThanOrEqual(60_000);
    expect(await sweepAs2(db, gateway.runtime.partners, {}, silentLogger)).toMatchObject({ overdue: 0 });
    await db.query(`UPDATE ${db.schema}.as2_messages SET mdn_due_at = now() - interval '1 second' WHERE message_id = $1`, [sent!.message_id]);
    await sweepAs2(db, gateway.runtime.partners, {}, silentLogger);
    expect((await sentOf(outboundId))[0]!.state).toBe('mdn-overdue');
    const events = await timeline(documentId);
    const overdue = events.filter((e) => e.stage === 'as2');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.message).toContain(`no MDN for Message-ID ${sent!.message_id}`);
    expect(overdue[0]!.details).toMatchObject({ state: 'mdn-overdue', messageId: sent!.message_id });
    // The entry itself was delivered: the partner's server took the message.
    expect((await entryOf(outboundId)).state).toBe('sent');
  });

  it('a negative asynchronous MDN fails the sent entry; its document goes back from sent to built (never delivered), with the event on its timeline', async () => {
    const { outboundId, documentId } = await queue850('refuser', 'OURCO', 'REFUSER');
    const entry = await until('the refused entry to fail', () => entryOf(outboundId), (e) => e.state === 'failed');
    expect(entry.reason).toContain('processed/error: decryption-failed');
    expect((await sentOf(outboundId))[0]).toMatchObject({ state: 'mdn-error' });
    const events = await timeline(documentId);
    // Delivered first (the POST was answered 200), then refused by the MDN.
    expect(events.some((e) => e.stage === 'deliver' && e.to_state === 'sent')).toBe(true);
    const refused = events.find((e) => e.stage === 'as2' && e.to_state === 'built');
    expect(refused).toMatchObject({ from_state: 'sent' });
    expect(refused?.details).toMatchObject({ code: 'AS2_MDN_NEGATIVE' });
    expect(refused?.message).toContain(`edi replay ${outboundId} --outbound`);
    const { rows: [doc] } = await db.query<{ state: string; sent_at: Date | null; ack_due_at: Date | null }>(`SELECT state, sent_at, ack_due_at FROM ${db.schema}.outbound_documents WHERE id = $1`, [documentId]);
    expect(doc).toEqual({ state: 'built', sent_at: null, ack_due_at: null });
  });

  it('a negative asynchronous MDN that comes before the POST is answered still fails the entry', async () => {
    const { outboundId } = await queue850('early', 'OURCO', 'EARLY');
    const entry = await until('the entry to finish', () => entryOf(outboundId), finished);
    expect(entry.state).toBe('failed');
    expect(entry.reason).toContain('processed/error: decryption-failed');
    expect(entry.attempts).toBe(1);
    expect((await sentOf(outboundId))[0]).toMatchObject({ state: 'mdn-error' });
  });

  it('a partner server that is down: retried (AS2_SEND_FAILED), under the same Message-ID once it is up', async () => {
    const { outboundId } = await queue850('down', 'OURCO', 'DOWN');
    const first = await until('the first try to fail', () => entryOf(outboundId), (e) => e.attempts >= 1 && e.reason !== null);
    expect(first.state).toBe('ready');
    expect(first.reason).toMatch(/failed, next in \d+ s: cannot POST to http:\/\/127\.0\.0\.1:\d+\/ok: ECONNREFUSED/);
    expect((await deliverEvents(outboundId))[0]!.details).toMatchObject({ code: 'AS2_SEND_FAILED' });
    const [before] = await sentOf(outboundId);
    expect(before!.state).toBe('sending');
    // The partner's server comes up on that port; the next try is due now.
    const up = createHttpServer((req, res) => void answerAsPartner(Object.assign(req, { url: '/ok' }), res));
    await new Promise<void>((resolve) => up.listen(downPort, '127.0.0.1', resolve));
    try {
      await db.query(`UPDATE ${db.schema}.outbound SET next_attempt_at = now() WHERE id = $1`, [outboundId]);
      const entry = await until('the entry to be sent', () => entryOf(outboundId), finished);
      expect(entry).toMatchObject({ state: 'sent', attempts: 2 });
      const sent = await sentOf(outboundId);
      expect(sent).toEqual([expect.objectContaining({ message_id: before!.message_id, state: 'delivered' })]);
      expect(seen.get('ok')).toEqual([before!.message_id]);
      expect(entry.remote_path).toContain(before!.message_id);
    } finally {
      await new Promise((resolve) => up.close(resolve));
    }
  });

  it('an MDN lost on the way back: the retry goes under the same Message-ID, the receiver answers the original MDN, taken in once', async () => {
    const { outboundId } = await queue850('loopout', 'LOOPOUT', 'LOOPIN');
    const first = await until('the first try to fail', () => entryOf(outboundId), (e) => e.attempts >= 1 && e.reason !== null);
    expect(first.reason).toMatch(/cannot POST|broke off/);
    const [sent] = await sentOf(outboundId);
    expect(sent!.state).toBe('sending');
    // The receiving side took it in and kept the MDN it answered.
    const received = async () => (await db.query<{ state: string; file_id: string | null; mdn_body: Buffer }>(
      `SELECT state, file_id, mdn_body FROM ${db.schema}.as2_messages WHERE direction = 'in' AND message_id = $1`, [sent!.message_id])).rows;
    const [inbound] = await received();
    expect(inbound).toMatchObject({ state: 'processed' });
    await db.query(`UPDATE ${db.schema}.outbound SET next_attempt_at = now() WHERE id = $1`, [outboundId]);
    const entry = await until('the entry to be sent', () => entryOf(outboundId), finished);
    expect(entry).toMatchObject({ state: 'sent', attempts: 2 });
    expect(proxy.connections).toBe(2);
    const after = await sentOf(outboundId);
    expect(after).toEqual([expect.objectContaining({ message_id: sent!.message_id, state: 'delivered', mdn_disposition: 'automatic-action/MDN-sent-automatically; processed' })]);
    // Once on the receiving side: one row, one file, and the repeat on its timeline.
    const rows = await received();
    expect(rows).toHaveLength(1);
    const files = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.files WHERE partner = 'loopin'`);
    expect(files.rows[0]!.n).toBe('1');
    const mdnSent = await db.query<{ mdn_body: Buffer }>(`SELECT mdn_body FROM ${db.schema}.as2_messages WHERE direction = 'out' AND outbound_id = $1`, [outboundId]);
    expect(mdnSent.rows[0]!.mdn_body.equals(rows[0]!.mdn_body)).toBe(true);
    const again = await db.query<{ message: string }>(`SELECT message FROM ${db.schema}.events WHERE stage = 'as2' AND details->>'messageId' = $1`, [sent!.message_id]);
    expect(again.rows.map((r) => r.message)).toEqual([expect.stringContaining('received again')]);
  });
});
