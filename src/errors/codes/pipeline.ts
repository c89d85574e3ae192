// Stable codes for what the pipeline itself decides (intake limits, the posting target, retries).
// Spread into src/errors/catalog.ts next to the X12, map and ack codes.
import type { CatalogEntry } from '../types.js';

export const pipelineCodes = {
  PIPELINE_FILE_TOO_LARGE: {
    severity: 'error', scope: 'file',
    meaning: 'The file is larger than the configured maximum (maxFileBytes, default 100 MB); it is recorded (name, size, sha256) without its bytes and not processed.',
    fix: 'Ask the partner to split the data into smaller files, or raise the maximum if such files are expected.',
  },
  PIPELINE_INTAKE_FAILED: {
    severity: 'error', scope: 'file', retry: 'transient',
    meaning: 'A received file could not be stored (the database failed during intake); nothing was kept, and the transport leaves the file where it was and tries again.',
    fix: 'Nothing while the transport retries; if it keeps failing, check the database (the message gives its error).',
  },
  PIPELINE_NO_MAP: {
    severity: 'error', scope: 'document', remedy: 'replay',
    meaning: 'The transaction set is valid but the gateway has no map to a canonical document for it (for example an inbound 997 or 999).',
    fix: 'Nothing to post: cancel the document, or add a map for the set and replay it.',
  },
  PIPELINE_TARGET_REJECTED: {
    severity: 'error', scope: 'document', retry: 'business',
    meaning: 'The posting target refused the document for a business reason (for example an unknown product or customer).',
    fix: 'Fix the master data or the partner settings the reason names, then replay the document.',
  },
  PIPELINE_TARGET_UNAVAILABLE: {
    severity: 'error', scope: 'document', retry: 'transient',
    meaning: 'The posting target could not be reached or answered with a temporary error (network, 5xx, lock timeout); the post is retried with backoff.',
    fix: 'Nothing while retries last; if the document ends failed, check the target, then replay it.',
  },
  PIPELINE_TARGET_AUTH: {
    severity: 'error', scope: 'config', retry: 'auth',
    meaning: 'The posting target refused our credentials or permissions.',
    fix: 'Fix the target credentials or the user rights, then replay the failed documents.',
  },
  PIPELINE_DOCUMENT_DUPLICATE: {
    severity: 'warning', scope: 'document',
    meaning: 'The document repeats one already posted to the target: the same partner, transaction set, document number (BEG03, BAK03, BSN02, BIG02) and purpose code, in a new envelope (a resend with new control numbers). It is recorded duplicate, linked to the first, and not posted.',
    fix: 'Nothing when the partner resent it. If it carries changes, ask the partner to send it as a replace (purpose 05) or a cancellation (01), which are always posted.',
  },
  PIPELINE_RETRIES_EXHAUSTED: {
    severity: 'error', scope: 'document', remedy: 'replay',
    meaning: 'A stage kept failing with a temporary or unexpected error until its retries ran out; the document (or file) is failed, the dead-letter state.',
    fix: 'Read the last error in the timeline, fix its cause, then replay the document or the file.',
  },
  PARTNER_SET_NOT_ACCEPTED: {
    severity: 'error', scope: 'transaction', ack: { ak5: '1' },
    meaning: 'The partner sent a transaction set that its partner file does not list under documents.inbound.',
    fix: 'Ask the partner whether the set was meant for us; if we now accept it from them, add it to documents.inbound and replay the document.',
  },
  PARTNER_SENDER_MISMATCH: {
    severity: 'error', scope: 'interchange', ack: { ta1: '006' },
    meaning: "The interchange sender (ISA05/ISA06) is not the partner whose mailbox it came from (identity.isa in the partner file).",
    fix: 'Check where the file came from; if the partner changed its id, update identity.isa in its partner file and replay the file.',
  },
  PARTNER_RECEIVER_MISMATCH: {
    severity: 'error', scope: 'interchange', ack: { ta1: '009' },
    meaning: 'The interchange receiver (ISA07/ISA08) is not our id towards this partner (us.isa in the partner file or partners/_gateway.yaml).',
    fix: 'Ask the partner to address us with the agreed id, or correct us.isa; then replay the file.',
  },
  PARTNER_GS_SENDER_MISMATCH: {
    severity: 'error', scope: 'group', ack: { ak9: '1' },
    meaning: 'The functional group sender (GS02) is not the partner\'s GS id (identity.gs), and the partner file asks for the check (acknowledgments.checkGroupIds).',
    fix: 'Ask the partner to use the agreed GS02, or correct identity.gs (or turn checkGroupIds off); then replay the file.',
  },
  PARTNER_GS_RECEIVER_MISMATCH: {
    severity: 'error', scope: 'group', ack: { ak9: '1' },
    meaning: 'The functional group receiver (GS03) is not our GS id towards this partner (us.gs), and the partner file asks for the check (acknowledgments.checkGroupIds).',
    fix: 'Ask the partner to address the group to the agreed GS03, or correct us.gs (or turn checkGroupIds off); then replay the file.',
  },
  PARTNER_TEST_DATA: {
    severity: 'warning', scope: 'transaction',
    meaning: 'Test data (ISA15 = T) from a partner in production mode: acknowledged as usual, never posted.',
    fix: 'Nothing to do for test runs. If the partner meant production data, ask them to send it with ISA15 = P.',
  },
  PARTNER_TEST_MODE: {
    severity: 'warning', scope: 'transaction',
    meaning: 'A document from a partner in test mode (mode: test): stored, validated, mapped and acknowledged like any other, then cancelled instead of posted; the note says what the dry run of its posting found (what it would create or write in Odoo, or where it would stop).',
    fix: 'Nothing to do while testing. When the partner goes live, set mode: production in its partner file (partners/README.md, "Test mode") and have it send again.',
  },
  PARTNER_USAGE_REFUSED: {
    severity: 'error', scope: 'interchange', ack: { ta1: '020' },
    meaning: 'The interchange\'s usage indicator (ISA15) is not what the partner file accepts: test data (T) from a production partner with acknowledgments.testData: reject, or production data (P) from a test partner with acknowledgments.productionData: reject. The interchange is rejected (TA1 note 020 as the ta1 setting allows) and nothing in it is processed.',
    fix: 'Ask the partner to send with the agreed ISA15, or change the partner\'s mode or setting (partners/README.md, "Test mode"); then replay the file if it should be processed.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type PipelineCode = keyof typeof pipelineCodes;
