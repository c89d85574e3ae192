// What every posting gets: the client, this server's field names, the partner's settings, and
// the document's identity (its marker, written into Odoo so a replay can find what it did).
import { createHash } from 'node:crypto';
import type { Envelope } from '../../documents/common.js';
import type { OdooClient } from '../client/client.js';
import type { OdooSchema } from '../field-names.js';
import type { OdooSettings } from '../settings.js';
import { NO_CACHE, type PostingCache } from '../lookup/cache.js';

export interface PostingContext {
  readonly client: OdooClient;
  readonly schema: OdooSchema;
  readonly settings: OdooSettings;
  /** The partner's code (partners/<code>.yaml) and display name. */
  readonly partnerCode: string;
  readonly partnerName: string;
  /** The partner file the gateway loaded, as messages name it (partnerFileLabel). */
  readonly partnerFile: string;
  readonly envelope: Envelope;
  /** The pipeline's natural key of the transaction (partner|set|sender|ISA13|GS06|ST02). */
  readonly naturalKey: string;
  /** Our internal reference by the partner's product code, for those of `theirCodes` in the gateway's mapping table. */
  productMappings(theirCodes: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * What a person mapped from the console to fix a unit or address gap (migration 18): an Odoo unit's
   * name by X12 unit code, an Odoo address id by GLN. Absent: nothing is mapped.
   */
  masterDataMappings?(kind: 'unit' | 'address', theirCodes: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Master data remembered between postings (lookup/cache.ts); absent: every search is asked. */
  readonly cache?: PostingCache;
}

/** The posting's cache view, or none. */
export function cacheOf(ctx: Pick<PostingContext, 'cache'>): PostingCache {
  return ctx.cache ?? NO_CACHE;
}

/** What a posting made (the shape of the pipeline's PostResult), always with its sentence for the timeline. */
export interface PostingResult {
  /** 'sale.order/12 S00012'. */
  ref: string;
  summary: string;
  /** Line results, mismatches ...: kept on the timeline event. */
  details?: Record<string, unknown>;
}

/**
 * A short token written into the chatter message (and searched for before posting one), unique
 * per transaction: 'edi-ref:' + 16 hex characters of sha256(natural key).
 */
export function markerOf(naturalKey: string): string {
  return `edi-ref:${createHash('sha256').update(naturalKey).digest('hex').slice(0, 16)}`;
}

/** "ISA 000000905 / GS 1 / ST 0001": where a document came from, for messages. */
export function sourceOf(envelope: Envelope): string {
  return `ISA ${envelope.interchangeControlNumber} / GS ${envelope.groupControlNumber} / ST ${envelope.transactionControlNumber}`;
}

export function refOf(model: string, id: number, name?: unknown): string {
  return `${model}/${id}${typeof name === 'string' && name ? ` ${name}` : ''}`;
}

/** The id of a many2one value as read ([id, name] or false). */
export function idOf(value: unknown): number | undefined {
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  if (typeof value === 'number') return value;
  return undefined;
}
