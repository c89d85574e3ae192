// edi replay ID [--file | --outbound]: sends a rejected or failed document (or every such document
// of a file) back to the stage that failed, or a failed outbound entry back to delivery, as a person. Runs an intake-only gateway: the running gateway's
// workers pick the work up. Replaying twice is a no-op.
// edi replay --filter state=rejected,partner=acme: a bulk replay (the count, a confirmation on a
// terminal unless --yes, then a progress bar until every document settled); edi cancel ID --reason:
// both on the console's implementation (src/jobs/document-actions.ts), audited as the CLI's user.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { replayOutbound } from '../../jobs/deliver.js';
import { parseFilter, type BulkProgress, type FilterText, type ReplayFilter } from '../../jobs/document-actions.js';
import { startGateway, type GatewayOptions } from '../../jobs/gateway.js';
import type { Actor, Database } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from './inspect.js';

export interface ReplayOptions {
  file?: boolean;
  /** ID is an outbound entry (an acknowledgment or document we send) that ended failed. */
  outbound?: boolean;
  actor?: string;
  /** Why (audited, on the timeline). */
  reason?: string;
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
    const result = opts.file ? await gateway.replayFile(id, actor) : await gateway.actions.replay(id, cliActor(actor), opts.reason ?? null);
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

/** The CLI's user as the audit names them. */
export function cliActor(name?: string): Actor {
  return { name: name?.trim() || defaultActor(), via: 'cli' };
}

export interface CancelOptions {
  reason?: string;
  actor?: string;
}

export async function cancelCommand(db: Database, idText: string, opts: CancelOptions, io: Output, gatewayOptions: Partial<GatewayOptions> = {}): Promise<number> {
  if (!/^\d+$/.test(idText.trim()) || Number(idText) <= 0) {
    io.err(`error: ${idText} is not a document id`);
    return EXIT.usage;
  }
  if (!opts.reason?.trim()) {
    io.err('error: say why with --reason TEXT (kept in the audit trail and on the timeline)');
    return EXIT.usage;
  }
  const gateway = await startGateway({ ...gatewayOptions, db, workers: false });
  try {
    const actor = cliActor(opts.actor);
    const result = await gateway.actions.cancel(Number(idText), actor, opts.reason);
    if ('notFound' in result) {
      io.err(`error: no document ${idText}`);
      return EXIT.notFound;
    }
    if ('refused' in result) {
      io.err(`error: not cancelled: ${result.refused}`);
      return EXIT.invalid;
    }
    io.out(`document ${idText}: ${result.cancelled.from} -> cancelled (as ${actor.name}): ${opts.reason.trim()}`);
    return EXIT.valid;
  } finally {
    await gateway.stop();
  }
}

export interface BulkReplayOptions {
  /** state=rejected,partner=acme,set=850,search=PO1,from=2026-12-01,to=2026-12-07 */
  filter: string;
  yes?: boolean;
  /** commander's --no-wait: false. */
  wait?: boolean;
  reason?: string;
  actor?: string;
  /** How long to follow the progress, in seconds (default 600). */
  timeout?: string;
}

/** Where the progress bar goes and how a confirmation is asked (edi.ts: stderr and stdin). */
export interface Terminal {
  /** Whether stderr is a terminal: a bar redrawn with \r; otherwise a plain line per change. */
  isTTY: boolean;
  write(text: string): void;
  /** Asks on a terminal; undefined when there is none to ask (then --yes is needed). */
  confirm?: (question: string) => Promise<boolean>;
}

/** `state=rejected,failed` is one key with two values: a part without `=` belongs to the key before it. */
export function parseFilterOption(text: string): FilterText | { error: string } {
  const keys = ['state', 'partner', 'set', 'search', 'from', 'to'] as const;
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (last !== 'state') return { error: `"${part}" is not KEY=VALUE; keys: ${keys.join(', ')}` };
      out.state = `${out.state},${part}`;
      continue;
    }
    const key = part.slice(0, eq).trim();
    if (!(keys as readonly string[]).includes(key)) return { error: `unknown filter key ${key}; keys: ${keys.join(', ')}` };
    out[key] = part.slice(eq + 1).trim();
    last = key;
  }
  return out as FilterText;
}

export async function bulkReplayCommand(db: Database, opts: BulkReplayOptions, io: Output, terminal: Terminal, gatewayOptions: Partial<GatewayOptions> = {}): Promise<number> {
  const text = parseFilterOption(opts.filter);
  const filter: ReplayFilter | { error: string } = 'error' in text ? text : parseFilter(text);
  if ('error' in filter) {
    io.err(`error: --filter: ${filter.error}`);
    return EXIT.usage;
  }
  const timeoutMs = Number(opts.timeout ?? 600) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    io.err(`error: --timeout ${opts.timeout} is not a number of seconds`);
    return EXIT.usage;
  }
  const gateway = await startGateway({ ...gatewayOptions, db, workers: false });
  try {
    const count = await gateway.actions.countBulk(filter);
    if ('refused' in count) {
      io.err(`error: ${count.refused}`);
      return EXIT.usage;
    }
    if (count.count === 0) {
      io.out(`no ${count.states.join(' or ')} document matches ${opts.filter}: nothing to replay`);
      return EXIT.valid;
    }
    io.out(`${count.more ? 'more than ' : ''}${count.count} ${count.states.join(' or ')} document${count.count === 1 ? '' : 's'} match ${opts.filter}`);
    if (!opts.yes) {
      if (!terminal.confirm) {
        io.err('error: not a terminal: add --yes to replay them');
        return EXIT.usage;
      }
      if (!(await terminal.confirm(`Replay ${count.count} documents? [y/N] `))) {
        io.out('nothing replayed');
        return EXIT.valid;
      }
    }
    const actor = cliActor(opts.actor);
    const started = await gateway.actions.startBulk(filter, actor, opts.reason ?? null);
    if ('refused' in started) {
      io.err(`error: ${started.refused}`);
      return EXIT.invalid;
    }
    io.out(`bulk replay ${started.batchId}: ${started.replayed} sent back to the stage that failed, ${started.skipped} not replayed (as ${actor.name})`);
    if (opts.wait === false) {
      io.out(`a running gateway works them; follow with GET /api/replays/${started.batchId} or the console's /replays/${started.batchId}`);
      return EXIT.valid;
    }
    const last = await follow(() => gateway.actions.bulkProgress(started.batchId), terminal, timeoutMs);
    if (!last) return EXIT.failure;
    io.out(`bulk replay ${last.id}: ${last.posted} posted, ${last.rejected} rejected again, ${last.failed} failed again, ${last.inFlight} still in flight${last.other ? `, ${last.other} otherwise` : ''}`);
    if (!last.done) io.out(`stopped following after ${timeoutMs / 1000} s: a running gateway goes on with the rest`);
    return last.done && last.rejected + last.failed === 0 ? EXIT.valid : EXIT.invalid;
  } finally {
    await gateway.stop();
  }
}

/** Polls the progress until every document settled or the time is up; draws the bar on the way. */
async function follow(read: () => Promise<BulkProgress | undefined>, terminal: Terminal, timeoutMs: number): Promise<BulkProgress | undefined> {
  const deadline = Date.now() + timeoutMs;
  let shown = '';
  for (;;) {
    const p = await read();
    if (!p) return undefined;
    const line = progressLine(p);
    if (terminal.isTTY) terminal.write(`\r${line}\x1b[K${p.done ? '\n' : ''}`);
    else if (line !== shown) terminal.write(`${line}\n`);
    shown = line;
    if (p.done || Date.now() >= deadline) {
      if (!p.done && terminal.isTTY) terminal.write('\n');
      return p;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** [#########-----------]  9/20 settled: 7 posted, 1 rejected, 1 failed, 11 in flight */
export function progressLine(p: BulkProgress, width = 24): string {
  const settled = p.total - p.inFlight;
  const filled = p.total ? Math.round((settled / p.total) * width) : width;
  const digits = String(p.total).length;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(settled).padStart(digits)}/${p.total} settled: ${p.posted} posted, ${p.rejected} rejected, ${p.failed} failed, ${p.inFlight} in flight`;
}

/** A yes/no question on the terminal (stdin and stderr): only "y" or "yes" is a yes. */
export function askOnTerminal(input: NodeJS.ReadStream, output: NodeJS.WriteStream): ((question: string) => Promise<boolean>) | undefined {
  if (!input.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input, output });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}
