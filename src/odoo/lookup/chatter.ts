// A message in a record's chatter, posted once per transaction: the marker (markerOf) in the text
// is searched for first, so a replay finds the message instead of posting it again.
import type { PostingContext } from '../postings/context.js';

/** The id of the record's message carrying the marker, if any. */
export async function findMarkedMessage(ctx: PostingContext, model: string, resIds: readonly number[], marker: string): Promise<{ id: number; resId: number } | undefined> {
  if (resIds.length === 0) return undefined;
  const rows = await ctx.client.searchRead('mail.message', [['model', '=', model], ['res_id', 'in', [...resIds]], ['body', 'ilike', marker]], { fields: ['id', 'res_id'], limit: 1, order: 'id' });
  const row = rows[0];
  return row ? { id: row.id, resId: Number(row['res_id']) } : undefined;
}

/** Posts `text` (plain, one paragraph per line) on the record unless a message with the marker is there. */
export async function postOnce(ctx: PostingContext, model: string, resId: number, marker: string, lines: readonly string[]): Promise<void> {
  if (await findMarkedMessage(ctx, model, [resId], marker)) return;
  await postNote(ctx, model, resId, marker, lines);
}

/**
 * Posts the message without looking for it first: only where the posting knows it is not there (the
 * record was created by this posting, or the marker was searched for on it in this posting).
 */
export async function postNote(ctx: PostingContext, model: string, resId: number, marker: string, lines: readonly string[]): Promise<void> {
  const body = [...lines, `(${marker})`].join('\n');
  await ctx.client.call(model, 'message_post', [resId], { body, message_type: 'comment', subtype_xmlid: 'mail.mt_note' });
}
