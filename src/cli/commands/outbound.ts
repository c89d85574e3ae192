// edi outbound list|show|preview|build|resend|regenerate: the documents we send (850 to suppliers;
// 855, 856, 810 to customers), for a person at a terminal (or --json for scripts). list and show read
// the store; resend queues the same bytes again; preview, build and regenerate read the record in Odoo
// (ODOO_URL & co.) with the partner files, through src/jobs/outbound-actions.ts.
import { GatewayError } from '../../errors/failure.js';
import { outboundDocumentView } from '../../http/views/outbound.js';
import { buildRecordNow, previewRecord, regenerateOutbound, resendOutbound, type ActionBy } from '../../jobs/outbound-actions.js';
import { storedInbound, type OutboundContext, type OutboundResult } from '../../jobs/outbound.js';
import { wakeChannel } from '../../jobs/queues.js';
import { silentLogger } from '../../logging/logger.js';
import { OUTBOUND_BUILDERS } from '../../odoo/builders/index.js';
import { odooOutboundSource } from '../../odoo/builders/source.js';
import { createOdooClient } from '../../odoo/client/client.js';
import { odooCacheSecondsFromEnv, odooOptionsFromEnv } from '../../odoo/config.js';
import type { Env } from '../../partners/secrets.js';
import {
  OUTBOUND_DOCUMENT_STATES,
  getOutboundDocument,
  listOutboundDocuments,
  type Conn,
  type Database,
  type OutboundDocumentRecord,
  type OutboundDocumentState,
} from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { clip, formatTable, positiveInt, timelineRow, timestamp } from '../table.js';
import type { Output } from './inspect.js';
import { validPartners } from './partner-files.js';
import { defaultActor } from './replay.js';

export interface OutboundListOptions {
  state?: string;
  partner?: string;
  limit?: string;
  json?: boolean;
}

/** Where preview, build and regenerate find the partner files (the Odoo connection is ODOO_URL & co.). */
export interface OdooCommandOptions {
  partners?: string;
  dataDir?: string;
}

export interface ActionOptions {
  reason?: string;
  actor?: string;
}

/** `edi outbound list` (and `edi docs list --direction out`): newest first. */
export async function outboundListCommand(db: Conn, opts: OutboundListOptions, io: Output): Promise<number> {
  const state = opts.state?.trim();
  if (state && !(OUTBOUND_DOCUMENT_STATES as readonly string[]).includes(state)) {
    io.err(`error: unknown state ${state}; outbound states are ${OUTBOUND_DOCUMENT_STATES.join(', ')}`);
    return EXIT.usage;
  }
  const limit = positiveInt(opts.limit ?? '50');
  if (limit === undefined) {
    io.err('error: --limit takes a positive whole number');
    return EXIT.usage;
  }
  // One more than shown says whether there are more.
  const rows = await listOutboundDocuments(db, { limit: limit + 1, ...(state ? { state: state as OutboundDocumentState } : {}), ...(opts.partner ? { partner: opts.partner } : {}) });
  const shown = rows.slice(0, limit);
  if (opts.json) {
    io.out(JSON.stringify(shown, null, 2));
    return EXIT.valid;
  }
  if (shown.length === 0) {
    io.out('no outbound documents');
    return EXIT.valid;
  }
  const table = shown.map((d) => [
    d.id, d.partner, d.setId, d.generation, `${d.sourceModel} ${d.sourceName ?? d.sourceId}`, d.state,
    d.interchangeControl ?? '-', d.groupControl ?? '-', d.controlNumber ?? '-',
    d.sentAt ? timestamp(d.sentAt) : '-', d.ackDueAt ? timestamp(d.ackDueAt) : '-', clip(d.reason ?? '', 60),
  ]);
  for (const line of formatTable(['ID', 'PARTNER', 'SET', 'GEN', 'SOURCE', 'STATE', 'ISA13', 'GS06', 'ST02', 'SENT', 'ACK DUE', 'REASON'], table)) io.out(line);
  if (rows.length > limit) io.out(`(more: the newest ${limit} shown; use --limit or filters)`);
  return EXIT.valid;
}

/** `edi outbound show ID`: the document, its timeline, its deliveries and the X12 sent. */
export async function outboundShowCommand(db: Conn, idText: string, opts: { json?: boolean }, io: Output): Promise<number> {
  const id = positiveInt(idText);
  if (id === undefined) {
    io.err(`error: ${idText} is not an outbound document id`);
    return EXIT.usage;
  }
  const view = await outboundDocumentView(db, id);
  if (!view) {
    io.err(`error: no outbound document ${id}`);
    return EXIT.notFound;
  }
  const { document: doc, timeline, deliveries, x12 } = view;
  if (opts.json) {
    io.out(JSON.stringify({ ...doc, timeline, deliveries, x12 }, null, 2));
    return EXIT.valid;
  }
  io.out(`outbound document ${doc.id}: ${doc.setId} generation ${doc.generation}, state ${doc.state.toUpperCase()}`);
  io.out(`  partner ${doc.partner}, from ${doc.sourceModel} ${doc.sourceId}${doc.sourceName ? ` (${doc.sourceName})` : ''}${doc.sourceVersion ? `, written ${doc.sourceVersion}` : ''}`);
  if (doc.controlNumber) io.out(`  ISA13 ${doc.interchangeControl}, GS06 ${doc.groupControl}, ST02 ${doc.controlNumber}`);
  io.out(`  created ${timestamp(doc.createdAt)}, updated ${timestamp(doc.updatedAt)}${dates(doc)}`);
  if (doc.reason) io.out(`  reason: ${doc.reason}`);

  io.out('');
  io.out(`timeline (${timeline.length} event(s)):`);
  for (const line of formatTable(['AT', 'STAGE', 'ACTOR', 'FROM', 'TO', 'MESSAGE'], timeline.map(timelineRow))) io.out('  ' + line);

  io.out('');
  io.out(deliveries.length ? `deliveries (${deliveries.length}):` : 'deliveries: none (nothing was built)');
  const rows = deliveries.map((d) => [d.id, d.resend ? 'resend' : 'built', d.state, d.attempts, d.sentAt ? timestamp(d.sentAt) : '-', d.remotePath ?? d.reason ?? '']);
  if (rows.length) for (const line of formatTable(['OUTBOUND', 'WHAT', 'STATE', 'TRIES', 'SENT', 'WHERE / REASON'], rows)) io.out('  ' + line);

  io.out('');
  io.out(x12 === null ? 'X12: none' : `X12 (outbound entry ${doc.outboundId}):`);
  if (x12 !== null) for (const line of x12.split('\n').filter(Boolean)) io.out('  ' + line);
  return EXIT.valid;
}

function dates(doc: OutboundDocumentRecord): string {
  return [
    doc.sentAt && `sent ${timestamp(doc.sentAt)}`,
    doc.ackDueAt && `acknowledgment due ${timestamp(doc.ackDueAt)}`,
    doc.acknowledgedAt && `acknowledged ${timestamp(doc.acknowledgedAt)}`,
  ].filter(Boolean).map((t) => `, ${t}`).join('');
}

/**
 * `edi outbound preview MODEL ID`: the X12 on stdout (placeholder control numbers), what it is and
 * why not on stderr. 0 when every document the record may need was rendered, 1 otherwise.
 */
export async function outboundPreviewCommand(db: Database, model: string, idText: string, opts: OdooCommandOptions, io: Output, env: Env = process.env): Promise<number> {
  const recordId = recordIdOf(idText, io);
  if (recordId === undefined) return EXIT.usage;
  const ctx = await outboundContext(db, opts, env, io);
  if (typeof ctx === 'number') return ctx;
  const previews = await previewRecord(ctx, model, recordId);
  if (previews.length === 0) return noKinds(model, io);
  let code: number = EXIT.valid;
  for (const p of previews) {
    if ('skipped' in p) {
      io.err(`${model} ${recordId}: no ${p.kind}: ${p.skipped}`);
      code = EXIT.invalid;
    } else if ('held' in p) {
      io.err(`${p.kind} for ${p.partner} from ${model} ${p.source.name}: would be held: ${p.held}`);
      code = EXIT.invalid;
    } else {
      io.err(`${p.kind} for ${p.partner} from ${model} ${p.source.name} (written ${p.source.writeDate}); control numbers are placeholders (ISA13 000000001, GS06 1, ST02 0001): nothing was numbered or queued`);
      for (const line of p.x12.split('\n').filter(Boolean)) io.out(line);
    }
  }
  return code;
}

/** `edi outbound build MODEL ID`: builds the record's documents now, as the outbound stage does. */
export async function outboundBuildCommand(db: Database, model: string, idText: string, opts: OdooCommandOptions, io: Output, env: Env = process.env): Promise<number> {
  const recordId = recordIdOf(idText, io);
  if (recordId === undefined) return EXIT.usage;
  const ctx = await outboundContext(db, opts, env, io);
  if (typeof ctx === 'number') return ctx;
  const results = await buildRecordNow(ctx, model, recordId, 'cli');
  if (results.length === 0) return noKinds(model, io);
  let code: number = EXIT.valid;
  for (const { kind, result } of results) {
    io.out(`${model} ${recordId}: ${describeBuild(kind, result)}`);
    if ('skipped' in result || 'held' in result) code = EXIT.invalid;
  }
  return code;
}

function describeBuild(kind: string, result: OutboundResult): string {
  if ('skipped' in result) return `no ${kind}: ${result.skipped}`;
  if ('held' in result) return `${kind} held (outbound document ${result.held.id}): ${result.held.reason}`;
  const d = 'built' in result ? result.built : result.unchanged;
  const numbers = `ISA13 ${d.interchangeControl}, GS06 ${d.groupControl}, ST02 ${d.controlNumber}`;
  return 'built' in result
    ? `${kind} built (outbound document ${d.id}): ${numbers}; queued for delivery (a running gateway sends it)`
    : `${kind} already built (outbound document ${d.id}, ${d.state}, ${numbers}): left alone; edi outbound resend or regenerate sends it again`;
}

/** `edi outbound resend ID`: the same bytes again. */
export async function outboundResendCommand(db: Database, idText: string, opts: ActionOptions, io: Output): Promise<number> {
  const id = documentIdOf(idText, io);
  if (id === undefined) return EXIT.usage;
  const by = actionBy(opts);
  const result = await resendOutbound({ db, queue: { channel: wakeChannel(db.schema) } }, id, by);
  if ('notFound' in result) return notFound(id, io);
  if ('refused' in result) {
    io.err(`error: not resent: ${result.refused}`);
    return EXIT.invalid;
  }
  const d = result.resent.document;
  io.out(`outbound document ${id}: the same ${d.setId} (ISA13 ${d.interchangeControl}) queued for delivery again as outbound entry ${result.resent.outboundId} (as ${by.actor}); a running gateway sends it`);
  return EXIT.valid;
}

/** `edi outbound regenerate ID`: the record built again with new control numbers; this document cancelled. */
export async function outboundRegenerateCommand(db: Database, idText: string, opts: ActionOptions & OdooCommandOptions, io: Output, env: Env = process.env): Promise<number> {
  const id = documentIdOf(idText, io);
  if (id === undefined) return EXIT.usage;
  if (!(await getOutboundDocument(db, id))) return notFound(id, io);
  const ctx = await outboundContext(db, opts, env, io);
  if (typeof ctx === 'number') return ctx;
  const by = actionBy(opts);
  const result = await regenerateOutbound(ctx, id, by);
  if ('notFound' in result) return notFound(id, io);
  if ('refused' in result) {
    io.err(`error: ${result.refused}`);
    return EXIT.invalid;
  }
  const { previous, next } = result.regenerated;
  io.out(`outbound document ${previous.id}: cancelled (as ${by.actor})`);
  if (next.state === 'held') {
    io.out(`outbound document ${next.id}: generation ${next.generation} held: ${next.reason}`);
    return EXIT.invalid;
  }
  io.out(`outbound document ${next.id}: generation ${next.generation} built: ISA13 ${next.interchangeControl}, GS06 ${next.groupControl}, ST02 ${next.controlNumber}; queued for delivery (a running gateway sends it)`);
  return EXIT.valid;
}

/**
 * What preview, build and regenerate need: the Odoo client from ODOO_URL & co., the partner files,
 * and the store (the posted 850s the 855/856/810 answer). No pg-boss: a build wakes the running
 * gateway's delivery through NOTIFY. An exit code when one is missing.
 */
async function outboundContext(db: Database, opts: OdooCommandOptions, env: Env, io: Output): Promise<OutboundContext | number> {
  let client: ReturnType<typeof createOdooClient>;
  let cacheSeconds: number | undefined;
  try {
    const options = odooOptionsFromEnv(env);
    if (!options) {
      io.err('error: ODOO_URL is not set: this command reads the record in Odoo (ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY; README: Posting to Odoo)');
      return EXIT.failure;
    }
    client = createOdooClient(options);
    cacheSeconds = odooCacheSecondsFromEnv(env);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT.failure;
  }
  const loaded = await validPartners(opts, env, io);
  if (typeof loaded === 'number') return loaded;
  const partners = loaded.directory;
  const source = odooOutboundSource({
    client, partners: () => partners.all(), inbound: storedInbound(db), builders: OUTBOUND_BUILDERS,
    ...(cacheSeconds !== undefined ? { cacheSeconds } : {}),
  });
  return { db, queue: { channel: wakeChannel(db.schema) }, log: silentLogger, now: () => new Date(), partners, source };
}

function noKinds(model: string, io: Output): number {
  io.err(`error: no partner file sends a document built from ${model} (documents.outbound; models: ${OUTBOUND_BUILDERS.map((b) => `${b.model} -> ${b.kind}`).join(', ')})`);
  return EXIT.invalid;
}

function recordIdOf(text: string, io: Output): number | undefined {
  const id = positiveInt(text);
  if (id === undefined) io.err(`error: ${text} is not a record id`);
  return id;
}

function documentIdOf(text: string, io: Output): number | undefined {
  const id = positiveInt(text);
  if (id === undefined) io.err(`error: ${text} is not an outbound document id`);
  return id;
}

function notFound(id: number, io: Output): number {
  io.err(`error: no outbound document ${id}`);
  return EXIT.notFound;
}

function actionBy(opts: ActionOptions): ActionBy {
  const reason = opts.reason?.trim();
  return { actor: opts.actor?.trim() || defaultActor(), ...(reason ? { reason } : {}) };
}
