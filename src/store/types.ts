// Records as the repositories return them (camelCase, ids as numbers). States mirror the CHECK
// constraints of the migrations; a test keeps both in step.

/** 'failed': the split gave up after its retries (migration 2). */
export const FILE_STATES = ['received', 'split', 'rejected', 'failed'] as const;
export type FileState = (typeof FILE_STATES)[number];

export const INTERCHANGE_STATES = ['accepted', 'rejected', 'duplicate'] as const;
export type InterchangeState = (typeof INTERCHANGE_STATES)[number];

/** 'posting': claimed by the post stage, the target being called (migration 6). */
export const DOCUMENT_STATES = ['parsed', 'validated', 'mapped', 'posting', 'posted', 'rejected', 'failed', 'duplicate', 'cancelled'] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

/** The pipeline stages a document can fail in (documents.failed_stage). */
export const STAGES = ['split', 'validate', 'map', 'post'] as const;
export type Stage = (typeof STAGES)[number];

export const OUTBOUND_STATES = ['ready', 'sent', 'failed'] as const;
export type OutboundState = (typeof OUTBOUND_STATES)[number];

export const CONTROL_NUMBER_KINDS = ['isa', 'gs', 'st'] as const;
export type ControlNumberKind = (typeof CONTROL_NUMBER_KINDS)[number];

export type Json = Record<string, unknown>;

export interface FileRecord {
  id: number;
  partner: string;
  channel: string;
  sourceName: string;
  sha256: string;
  size: number;
  metadata: Json;
  receivedAt: Date;
  state: FileState;
  reason: string | null;
}

export interface ReceiptRecord {
  id: number;
  fileId: number;
  sourceName: string;
  channel: string;
  metadata: Json;
  receivedAt: Date;
  duplicate: boolean;
}

export interface InterchangeRecord {
  id: number;
  fileId: number;
  byteOffset: number;
  byteLength: number;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  controlNumber: string;
  usage: string;
  state: InterchangeState;
  duplicateOf: number | null;
  findings: unknown[];
  createdAt: Date;
  /** The interchange's delimiters (migration 2); null on rows written before it. */
  delimiters: StoredDelimiters | null;
}

/** Delimiters as stored with an interchange (the same shape as src/x12 Delimiters). */
export interface StoredDelimiters {
  element: string;
  component: string;
  repetition: string | null;
  segment: string;
}

export interface DocumentRecord {
  id: number;
  fileId: number;
  interchangeId: number;
  groupControl: string;
  version: string;
  setId: string;
  controlNumber: string;
  byteOffset: number;
  byteLength: number;
  state: DocumentState;
  failedStage: Stage | null;
  reason: string | null;
  documentType: string | null;
  document: unknown;
  findings: unknown[];
  targetRef: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  /** The X12 envelope of the set (src/documents/common.ts Envelope; migration 2), null when not recorded. */
  envelope: Json | null;
  /** 1-based line of the ST in the file (migration 2), null when not recorded. */
  line: number | null;
  /** The document's own number and its PO number, read from the raw heading (migration 12); null when it has none. */
  number: string | null;
  poNumber: string | null;
}

/** A document with what the ops view shows beside it. */
export interface DocumentDetail extends DocumentRecord {
  partner: string;
  sourceName: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  interchangeControl: string;
}

/** A row of `docs list`: no canonical document, no findings. */
export interface DocumentSummary {
  id: number;
  fileId: number;
  partner: string;
  setId: string;
  controlNumber: string;
  state: DocumentState;
  failedStage: Stage | null;
  reason: string | null;
  documentType: string | null;
  targetRef: string | null;
  createdAt: Date;
  updatedAt: Date;
  number: string | null;
  poNumber: string | null;
}

export interface EventRecord {
  id: number;
  fileId: number | null;
  documentId: number | null;
  at: Date;
  stage: string;
  actor: string;
  fromState: string | null;
  toState: string | null;
  message: string;
  details: Json;
}

export interface OutboundRecord {
  id: number;
  partner: string;
  kind: string;
  fileId: number | null;
  sourceKey: string | null;
  payload: string;
  state: OutboundState;
  reason: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface PostedRecord {
  target: string;
  naturalKey: string;
  documentId: number | null;
  targetRef: string;
  payload: unknown;
  postedAt: Date;
}

/** remote_files.state (migration 3): taken and committed, archive pending | archived or deleted | left in place and remembered. */
export const REMOTE_FILE_STATES = ['ingested', 'archived', 'remembered'] as const;
export type RemoteFileState = (typeof REMOTE_FILE_STATES)[number];

/** One partner's transport health (migration 3). */
export interface PartnerHealthRecord {
  partner: string;
  transport: string;
  lastSuccess: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  consecutiveFailures: number;
  /** Backoff: no connection attempt before this time (null: whenever due). */
  nextAttemptAt: Date | null;
  updatedAt: Date;
}

/** A file a transport took from a partner's mailbox (migration 3), identified by path + size + mtime. */
export interface RemoteFileRecord {
  partner: string;
  /** Which mailbox (e.g. 'sftp:/outbox' or the local folder): two mailboxes may hold the same path. */
  mailbox: string;
  path: string;
  size: number;
  /** Milliseconds since the epoch. */
  mtime: number;
  sha256: string;
  state: RemoteFileState;
  fileId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An outbound business document's states (migration 10). */
export const OUTBOUND_DOCUMENT_STATES = ['held', 'built', 'sent', 'acknowledged', 'accepted-with-errors', 'ack-rejected', 'ack-overdue', 'cancelled'] as const;
export type OutboundDocumentState = (typeof OUTBOUND_DOCUMENT_STATES)[number];

/** An outbound business document (migration 10). */
export interface OutboundDocumentRecord {
  id: number;
  partner: string;
  setId: string;
  sourceModel: string;
  sourceId: number;
  sourceName: string | null;
  sourceVersion: string | null;
  generation: number;
  state: OutboundDocumentState;
  reason: string | null;
  document: Json | null;
  interchangeControl: string | null;
  groupControl: string | null;
  controlNumber: string | null;
  outboundId: number | null;
  ackWindowSeconds: number | null;
  ackDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  acknowledgedAt: Date | null;
}
