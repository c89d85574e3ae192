// edi as2 list|show: the AS2 messages received and sent, for a person at a terminal (or --json for
// scripts); show --raw / --mdn write the message's or the MDN's bytes to stdout as they were, for
// openssl or the partner's support. The same reads as the console (src/http/views/as2.ts).
import { as2MessageBody, getAs2Message, AS2_STATES, type As2State } from '../../store/as2-repo.js';
import type { Conn } from '../../store/index.js';
import { as2Link, as2MessageDetail, as2MessageList } from '../../http/views/as2.js';
import { EXIT } from '../exit-codes.js';
import { clip, formatTable, positiveInt, timestamp } from '../table.js';
import type { Output } from './inspect.js';

/** The terminal, and stdout for bytes (--raw, --mdn). */
export interface BinaryOutput extends Output {
  bytes(data: Uint8Array): void;
}

export interface As2ListOptions {
  partner?: string;
  direction?: string;
  state?: string;
  limit?: string;
  json?: boolean;
}

/** `edi as2 list`: newest first. */
export async function as2ListCommand(db: Conn, opts: As2ListOptions, io: Output): Promise<number> {
  const state = opts.state?.trim();
  if (state && !(AS2_STATES as readonly string[]).includes(state)) {
    io.err(`error: unknown state ${state}; AS2 message states are ${AS2_STATES.join(', ')}`);
    return EXIT.usage;
  }
  const direction = opts.direction?.trim();
  if (direction && direction !== 'in' && direction !== 'out') {
    io.err('error: --direction takes in (received) or out (sent)');
    return EXIT.usage;
  }
  const limit = positiveInt(opts.limit ?? '50');
  if (limit === undefined) {
    io.err('error: --limit takes a positive whole number');
    return EXIT.usage;
  }
  // One more than shown says whether there are more.
  const rows = await as2MessageList(db, {
    limit: limit + 1, ...(opts.partner ? { partner: opts.partner } : {}), ...(direction ? { direction: direction as 'in' | 'out' } : {}), ...(state ? { state: state as As2State } : {}),
  });
  const shown = rows.slice(0, limit);
  if (opts.json) {
    io.out(JSON.stringify(shown, null, 2));
    return EXIT.valid;
  }
  if (!shown.length) {
    io.out('no AS2 messages');
    return EXIT.valid;
  }
  const table = shown.map((m) => [
    m.id, timestamp(m.createdAt), m.direction, m.partner ?? `? ${m.from}`, clip(m.messageId, 50), m.state,
    [m.mdnMode, m.mdnState].filter(Boolean).join(' '), as2Link(m)?.label ?? '-', clip(m.reason ?? m.mdnDisposition ?? '', 60),
  ]);
  for (const line of formatTable(['ID', 'AT', 'WAY', 'PARTNER', 'MESSAGE-ID', 'STATE', 'MDN', 'CARRIES', 'REASON / DISPOSITION'], table)) io.out(line);
  if (rows.length > limit) io.out(`(more: the newest ${limit} shown; use --limit or filters)`);
  return EXIT.valid;
}

export interface As2ShowOptions {
  json?: boolean;
  raw?: boolean;
  mdn?: boolean;
}

/** `edi as2 show ID`: headers, MIC, MDN; with --raw or --mdn the bytes alone on stdout. */
export async function as2ShowCommand(db: Conn, idText: string, opts: As2ShowOptions, io: BinaryOutput): Promise<number> {
  const id = positiveInt(idText);
  if (id === undefined) {
    io.err(`error: ${idText} is not an AS2 message id`);
    return EXIT.usage;
  }
  if (opts.raw && opts.mdn) {
    io.err('error: --raw or --mdn, not both (each writes bytes to stdout)');
    return EXIT.usage;
  }
  if (opts.raw || opts.mdn) return writeBytes(db, id, opts.raw ? 'raw' : 'mdn', io);
  const m = await as2MessageDetail(db, id);
  if (!m) return notFound(id, io);
  if (opts.json) {
    io.out(JSON.stringify(m, null, 2));
    return EXIT.valid;
  }
  io.out(`AS2 message ${m.id}: ${m.direction === 'in' ? 'received from' : 'sent to'} ${m.partner ?? `an unknown sender (${m.from})`}, state ${m.state.toUpperCase()}`);
  io.out(`  Message-ID ${m.messageId}`);
  io.out(`  AS2-From ${m.from}, AS2-To ${m.to}`);
  io.out(`  created ${timestamp(m.createdAt)}, updated ${timestamp(m.updatedAt)}${m.mdnDueAt ? `, MDN due ${timestamp(m.mdnDueAt)}` : ''}`);
  const carried = as2Link(m);
  io.out(`  carries: ${carried ? `${carried.label}${carried.path ? ` (${carried.path})` : ''}` : 'nothing taken in'}`);
  io.out(`  body: ${m.bodyBytes === null ? 'not kept' : `${m.bodyBytes} bytes (--raw)`}`);
  if (m.mic) io.out(`  MIC ${m.mic.value}, ${m.mic.algorithm}`);
  io.out(`  MDN: ${m.mdnMode}${m.mdnState ? `, ${m.mdnState}` : ''}${m.mdnUrl ? ` to ${m.mdnUrl}` : ''}${m.mdnAttempts ? `, ${m.mdnAttempts} tries` : ''}${m.mdnNextAt ? `, next ${timestamp(m.mdnNextAt)}` : ''}`);
  if (m.mdn) io.out(`  MDN kept: ${m.mdn.contentType}, ${m.mdn.bytes} bytes (--mdn)${m.mdn.disposition ? `; disposition: ${m.mdn.disposition}` : ''}`);
  if (m.reason) io.out(`  reason: ${m.reason}`);
  io.out('');
  io.out('headers:');
  const headers = Object.entries(m.headers);
  if (headers.length) for (const line of formatTable(['HEADER', 'VALUE'], headers)) io.out('  ' + line);
  else io.out('  none kept');
  return EXIT.valid;
}

async function writeBytes(db: Conn, id: number, what: 'raw' | 'mdn', io: BinaryOutput): Promise<number> {
  const m = await getAs2Message(db, id);
  if (!m) return notFound(id, io);
  const bytes = what === 'raw' ? await as2MessageBody(db, id) : m.mdn?.body;
  if (!bytes) {
    io.err(`error: AS2 message ${id} has ${what === 'raw' ? 'no body kept' : 'no MDN kept'}`);
    return EXIT.notFound;
  }
  io.bytes(bytes);
  return EXIT.valid;
}

function notFound(id: number, io: Output): number {
  io.err(`error: no AS2 message ${id}`);
  return EXIT.notFound;
}
