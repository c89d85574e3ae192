// edi replay ID [--file | --outbound]: sends a rejected or failed document (or every such document
// of a file) back to the stage that failed, or a failed outbound entry back to delivery, as a person. Runs an intake-only gateway: the running gateway's
// workers pick the work up. Replaying twice is a no-op.
import { userInfo } from 'node:os';
import { replayOutbound } from '../../jobs/deliver.js';
import { startGateway, type GatewayOptions } from '../../jobs/gateway.js';
import type { Database } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from './inspect.js';

export interface ReplayOptions {
  file?: boolean;
  /** ID is an outbound entry (an acknowledgment or document we send) that ended failed. */
  outbound?: boolean;
  actor?: string;
}

export async function replayCommand(db: Database, idText: string, opts: ReplayOptions, io: Output, gatewayOptions: Partial<GatewayOptions> = {}): Promise<number> {
  if (!/^\d+$/.test(idText.trim()) || Number(idText) <= 0) {
    io.err(`error: ${idText} is not a ${opts.file ? 'file' : 'document'} id`);
    return EXIT.usage;
  }
  const id = Number(idText);
  const actor = opts.actor?.trim() || defaultActor();
  if (opts.outbound) {
    if (!(await replayOutbound(db, id, actor))) {
      io.err(`error: no failed outbound entry ${id}`);
      return EXIT.notFound;
    }
    io.out(`outbound ${id}: failed -> queued for delivery again (as ${actor}); a running gateway sends it`);
    return EXIT.valid;
  }
  const gateway = await startGateway({ ...gatewayOptions, db, workers: false });
  try {
    const result = opts.file ? await gateway.replayFile(id, actor) : await gateway.replayDocument(id, actor);
    const what = opts.file ? `file ${id}` : `document ${id}`;
    if (!result.found) {
      io.err(`error: no ${what}`);
      return EXIT.notFound;
    }
    if (result.file) io.out(`${what}: ${result.file.from} -> sent back to split (as ${actor})`);
    for (const r of result.replayed) io.out(`document ${r.documentId}: ${r.from} -> sent back to ${r.stage} (as ${actor})`);
    for (const s of result.skipped) io.out(`${s.documentId !== undefined ? `document ${s.documentId}` : `file ${s.fileId ?? id}`}: not replayed: ${s.reason}`);
    if (!result.file && result.replayed.length === 0) io.out(`${what}: nothing to replay`);
    return EXIT.valid;
  } finally {
    await gateway.stop();
  }
}

/** Who acts when --actor is not given: the login name. */
export function defaultActor(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}
