// Row -> record mapping (snake_case -> camelCase; bigint ids, which node-postgres returns as strings, -> numbers).
import type {
  DocumentDetail,
  DocumentRecord,
  DocumentSummary,
  EventRecord,
  FileRecord,
  InterchangeRecord,
  Json,
  OutboundDocumentRecord,
  OutboundRecord,
  PartnerHealthRecord,
  PostedRecord,
  ReceiptRecord,
  RemoteFileRecord,
  StoredDelimiters,
} from './types.js';

export type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => v as string;
const strOrNull = (v: unknown): string | null => (v ?? null) as string | null;

export function toFile(r: Row): FileRecord {
  return {
    id: num(r.id),
    partner: str(r.partner),
    channel: str(r.channel),
    sourceName: str(r.source_name),
    sha256: str(r.sha256),
    size: num(r.size),
    metadata: r.metadata as Json,
    receivedAt: r.received_at as Date,
    state: r.state as FileRecord['state'],
    reason: strOrNull(r.reason),
  };
}

export function toReceipt(r: Row): ReceiptRecord {
  return {
    id: num(r.id),
    fileId: num(r.file_id),
    sourceName: str(r.source_name),
    channel: str(r.channel),
    metadata: r.metadata as Json,
    receivedAt: r.received_at as Date,
    duplicate: r.duplicate as boolean,
  };
}

export function toInterchange(r: Row): InterchangeRecord {
  return {
    id: num(r.id),
    fileId: num(r.file_id),
    byteOffset: num(r.byte_offset),
    byteLength: num(r.byte_length),
    senderQualifier: str(r.sender_qualifier),
    senderId: str(r.sender_id),
    receiverQualifier: str(r.receiver_qualifier),
    receiverId: str(r.receiver_id),
    controlNumber: str(r.control_number),
    usage: str(r.usage),
    state: r.state as InterchangeRecord['state'],
    duplicateOf: numOrNull(r.duplicate_of),
    findings: r.findings as unknown[],
    createdAt: r.created_at as Date,
    delimiters: toDelimiters(r),
  };
}

/** The interchange delimiter columns (migration 2); null when the row predates them. */
export function toDelimiters(r: Row): StoredDelimiters | null {
  if (typeof r.element_separator !== 'string') return null;
  return {
    element: r.element_separator,
    component: str(r.component_separator ?? ''),
    repetition: strOrNull(r.repetition_separator),
    segment: str(r.segment_terminator),
  };
}

export function toDocument(r: Row): DocumentRecord {
  return {
    id: num(r.id),
    fileId: num(r.file_id),
    interchangeId: num(r.interchange_id),
    groupControl: str(r.group_control),
    version: str(r.version),
    setId: str(r.set_id),
    controlNumber: str(r.control_number),
    byteOffset: num(r.byte_offset),
    byteLength: num(r.byte_length),
    state: r.state as DocumentRecord['state'],
    failedStage: strOrNull(r.failed_stage) as DocumentRecord['failedStage'],
    reason: strOrNull(r.reason),
    documentType: strOrNull(r.document_type),
    document: r.document ?? null,
    findings: r.findings as unknown[],
    targetRef: strOrNull(r.target_ref),
    attempts: num(r.attempts),
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    envelope: (r.envelope ?? null) as Json | null,
    line: numOrNull(r.line),
    number: strOrNull(r.number),
    poNumber: strOrNull(r.po_number),
  };
}

export function toDocumentDetail(r: Row): DocumentDetail {
  return {
    ...toDocument(r),
    partner: str(r.partner),
    sourceName: str(r.source_name),
    senderQualifier: str(r.sender_qualifier),
    senderId: str(r.sender_id),
    receiverQualifier: str(r.receiver_qualifier),
    receiverId: str(r.receiver_id),
    interchangeControl: str(r.interchange_control),
  };
}

export function toDocumentSummary(r: Row): DocumentSummary {
  return {
    id: num(r.id),
    fileId: num(r.file_id),
    partner: str(r.partner),
    setId: str(r.set_id),
    controlNumber: str(r.control_number),
    state: r.state as DocumentSummary['state'],
    failedStage: strOrNull(r.failed_stage) as DocumentSummary['failedStage'],
    reason: strOrNull(r.reason),
    documentType: strOrNull(r.document_type),
    targetRef: strOrNull(r.target_ref),
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    number: strOrNull(r.number),
    poNumber: strOrNull(r.po_number),
  };
}

export function toEvent(r: Row): EventRecord {
  return {
    id: num(r.id),
    fileId: numOrNull(r.file_id),
    documentId: numOrNull(r.document_id),
    at: r.at as Date,
    stage: str(r.stage),
    actor: str(r.actor),
    fromState: strOrNull(r.from_state),
    toState: strOrNull(r.to_state),
    message: str(r.message),
    details: r.details as Json,
  };
}

export function toOutbound(r: Row): OutboundRecord {
  return {
    id: num(r.id),
    partner: str(r.partner),
    kind: str(r.kind),
    fileId: numOrNull(r.file_id),
    sourceKey: strOrNull(r.source_key),
    payload: str(r.payload),
    state: r.state as OutboundRecord['state'],
    reason: strOrNull(r.reason),
    createdAt: r.created_at as Date,
    sentAt: (r.sent_at ?? null) as Date | null,
  };
}

export function toPosted(r: Row): PostedRecord {
  return {
    target: str(r.target),
    naturalKey: str(r.natural_key),
    documentId: numOrNull(r.document_id),
    targetRef: str(r.target_ref),
    payload: r.payload ?? null,
    postedAt: r.posted_at as Date,
  };
}

export function toPartnerHealth(r: Row): PartnerHealthRecord {
  return {
    partner: str(r.partner),
    transport: str(r.transport),
    lastSuccess: (r.last_success ?? null) as Date | null,
    lastError: strOrNull(r.last_error),
    lastErrorAt: (r.last_error_at ?? null) as Date | null,
    consecutiveFailures: num(r.consecutive_failures),
    nextAttemptAt: (r.next_attempt_at ?? null) as Date | null,
    updatedAt: r.updated_at as Date,
  };
}

export function toRemoteFile(r: Row): RemoteFileRecord {
  return {
    partner: str(r.partner),
    mailbox: str(r.mailbox),
    path: str(r.path),
    size: num(r.size),
    mtime: num(r.mtime),
    sha256: str(r.sha256),
    state: r.state as RemoteFileRecord['state'],
    fileId: numOrNull(r.file_id),
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export function toOutboundDocument(r: Row): OutboundDocumentRecord {
  return {
    id: Number(r.id),
    partner: String(r.partner),
    setId: String(r.set_id),
    sourceModel: String(r.source_model),
    sourceId: Number(r.source_id),
    sourceName: strOrNull(r.source_name),
    sourceVersion: strOrNull(r.source_version),
    generation: Number(r.generation),
    state: r.state as OutboundDocumentRecord['state'],
    reason: strOrNull(r.reason),
    document: (r.document ?? null) as Json | null,
    interchangeControl: strOrNull(r.interchange_control),
    groupControl: strOrNull(r.group_control),
    controlNumber: strOrNull(r.control_number),
    outboundId: numOrNull(r.outbound_id),
    ackWindowSeconds: numOrNull(r.ack_window_seconds),
    ackDueAt: (r.ack_due_at ?? null) as Date | null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    sentAt: (r.sent_at ?? null) as Date | null,
    acknowledgedAt: (r.acknowledged_at ?? null) as Date | null,
  };
}
