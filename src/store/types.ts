// Records as the repositories return them (camelCase, ids as numbers). States mirror the CHECK
// constraints of the migrations; a test keeps both in step.

export const FILE_STATES = ['received', 'split', 'rejected'] as const;
export type FileState = (typeof FILE_STATES)[number];

export const INTERCHANGE_STATES = ['accepted', 'rejected', 'duplicate'] as const;
export type InterchangeState = (typeof INTERCHANGE_STATES)[number];

export const DOCUMENT_STATES = ['parsed', 'validated', 'mapped', 'posted', 'rejected', 'failed', 'duplicate', 'cancelled'] as const;
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
