// What a person sees of AS2 messages, assembled once for `edi as2 list|show`, GET /api/as2/messages
// and the console's AS2 pages: the record without its bytes (the message and the MDN are downloads:
// edi as2 show --raw / --mdn), the MDN's disposition as text, the sizes.
import { getAs2Message, listAs2Messages, type As2Direction, type As2MessageRecord, type As2State } from '../../store/as2-repo.js';
import type { Conn } from '../../store/index.js';

/** One line of the list. */
export interface As2MessageSummary {
  id: number;
  direction: As2Direction;
  partner: string | null;
  from: string;
  to: string;
  messageId: string;
  state: As2State;
  reason: string | null;
  /** The received file it became (direction in), or the delivery entry it carried (out). */
  fileId: number | null;
  outboundId: number | null;
  /** The document we send it carried (console /sent/ID), when it carried one rather than an acknowledgment. */
  sentDocumentId: number | null;
  mdnMode: As2MessageRecord['mdnMode'];
  /** An asynchronous MDN we owe: pending, sent or failed (direction in). */
  mdnState: As2MessageRecord['mdnState'];
  /** The MDN's Disposition (the one we answered, or the one that came back). */
  mdnDisposition: string | null;
  mdnDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One message in full, bytes as sizes. */
export interface As2MessageDetail extends As2MessageSummary {
  headers: Record<string, string>;
  mic: As2MessageRecord['mic'];
  mdnUrl: string | null;
  mdnAttempts: number;
  mdnNextAt: Date | null;
  mdn: { contentType: string; disposition: string | null; bytes: number } | null;
  bodyBytes: number | null;
}

export interface As2ListFilter {
  partner?: string;
  direction?: As2Direction;
  state?: As2State;
  limit: number;
}

function summary(m: As2MessageRecord & { sentDocumentId: number | null }): As2MessageSummary {
  return {
    id: m.id, direction: m.direction, partner: m.partner, from: m.from, to: m.to, messageId: m.messageId, state: m.state, reason: m.reason,
    fileId: m.fileId, outboundId: m.outboundId, sentDocumentId: m.sentDocumentId, mdnMode: m.mdnMode, mdnState: m.mdnState, mdnDisposition: m.mdn?.disposition || null,
    mdnDueAt: m.mdnDueAt, createdAt: m.createdAt, updatedAt: m.updatedAt,
  };
}

/** The newest messages both ways, filtered. */
export async function as2MessageList(db: Conn, filter: As2ListFilter): Promise<As2MessageSummary[]> {
  return (await listAs2Messages(db, filter)).map(summary);
}

export async function as2MessageDetail(db: Conn, id: number): Promise<As2MessageDetail | undefined> {
  const m = await getAs2Message(db, id);
  if (!m) return undefined;
  return {
    ...summary(m), headers: m.headers, mic: m.mic, mdnUrl: m.mdnUrl, mdnAttempts: m.mdnAttempts, mdnNextAt: m.mdnNextAt,
    mdn: m.mdn ? { contentType: m.mdn.contentType, disposition: m.mdn.disposition || null, bytes: m.mdn.body.length } : null,
    bodyBytes: m.bodyBytes,
  };
}

/** The link a message has to the rest of the console: the file it became, or the delivery entry it carried. */
export function as2Link(m: Pick<As2MessageSummary, 'fileId' | 'outboundId' | 'sentDocumentId'>): { label: string; path: string | null } | null {
  if (m.fileId !== null) return { label: `file ${m.fileId}`, path: `/files/${m.fileId}` };
  if (m.sentDocumentId !== null) return { label: `sent document ${m.sentDocumentId}`, path: `/sent/${m.sentDocumentId}` };
  if (m.outboundId !== null) return { label: `outbound entry ${m.outboundId}`, path: null };
  return null;
}
