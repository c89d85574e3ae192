// What a person sees of one document we send, assembled once for `edi outbound show`, the API and
// the console page: the record, its timeline, its deliveries (resends included) and the X12 sent.
import {
  deliveriesOfOutboundDocument,
  getOutboundDocument,
  outboundDocumentTimeline,
  type Conn,
  type EventRecord,
  type OutboundDocumentDelivery,
  type OutboundDocumentRecord,
} from '../../store/index.js';

export interface OutboundDocumentView {
  document: OutboundDocumentRecord;
  timeline: EventRecord[];
  /** Without their payload (the same bytes for each: `x12`). */
  deliveries: Omit<OutboundDocumentDelivery, 'payload'>[];
  /** The interchange as sent (every delivery of a document carries the same bytes), null before it is built. */
  x12: string | null;
}

export async function outboundDocumentView(db: Conn, id: number): Promise<OutboundDocumentView | undefined> {
  const document = await getOutboundDocument(db, id);
  if (!document) return undefined;
  const [timeline, deliveries] = await Promise.all([outboundDocumentTimeline(db, id), deliveriesOfOutboundDocument(db, id)]);
  return {
    document,
    timeline,
    deliveries: deliveries.map(({ payload: _omitted, ...d }) => d),
    x12: deliveries.find((d) => d.id === document.outboundId)?.payload ?? null,
  };
}
