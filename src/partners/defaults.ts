// Built-in defaults of a partner file, one comment per key. Precedence, lowest first:
// these values < `defaults:` in partners/_gateway.yaml < the partner's own file.
// (Our identity `us` has no built-in value: it comes from the partner file or partners/_gateway.yaml.)

import type { ContentCipher, DigestAlgorithm, KeyTransport } from '../as2/cms/index.js';

export const BUILT_IN = Object.freeze({
  /** Outbound X12: 004010 is what most retail partners still trade. */
  x12: Object.freeze({
    version: '004010' as '004010' | '005010',
    /** The common choice; ISA16 (component) '>' as most implementation guides show. */
    delimiters: Object.freeze({ element: '*', component: '>', repetition: '^', segment: '~' }),
    /** One segment per line: readable in any editor, accepted by every translator we know. */
    lineBreak: true,
  }),
  /** src/acks/policy.ts defaultAckPolicy, plus the reader's strictness. */
  acknowledgments: Object.freeze({
    kind: '997' as '997' | '999' | 'none',
    ta1: 'requested' as 'requested' | 'on-error' | 'always' | 'never',
    detail: 'all-sets' as 'all-sets' | 'errors-only',
    /** An unpadded ISA is an error unless the partner is known to send one. */
    allowVariableIsa: false,
    /** GS02/GS03 are not checked: many partners send GS ids of their own choosing. */
    checkGroupIds: false,
    /** A 997/999 for what we send is due within a day (then ack-overdue). */
    expectWithinHours: 24,
  }),
  /** 100 MB, the pipeline's default (src/jobs/context.ts DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes: 100 * 1024 * 1024,
  /** Sets we send: none until listed. */
  outboundDocuments: Object.freeze([] as string[]),
  sftp: Object.freeze({
    port: 22,
    /** TCP connect plus SSH handshake. */
    connectTimeoutSeconds: 20,
    /** Any single SFTP operation. */
    timeoutSeconds: 60,
  }),
  inbound: Object.freeze({
    /** Every name, minus `ignore`. */
    patterns: Object.freeze(['*']),
    /** Names partners and AS2 servers use while a file is still being written, and hidden files. */
    ignore: Object.freeze(['*.part', '*.partial', '*.filepart', '*.tmp', '*.temp', '.*', '~*']),
    /** SFTP: one listing a minute is gentle on partners' servers. Folders: the rescan safety net. */
    pollSeconds: 60,
    /** Two looks this far apart must agree on size and mtime before a file is taken. */
    stableSeconds: 5,
    doneMarker: false,
    /** Archive subfolder of the inbound folder when `archive: { action: move }` names no folder. */
    archiveSubfolder: 'archive',
  }),
  as2: Object.freeze({
    /** Partners are expected to sign and encrypt (RFC 4130's point); a partner file may relax it. */
    inbound: Object.freeze({ requireSigned: true, requireEncrypted: true }),
    outbound: Object.freeze({
      sign: 'sha256' as DigestAlgorithm | 'none',
      /** AES-256-CBC: what every AS2 product of the last decade reads (GCM is newer, not yet everywhere). */
      encrypt: 'aes256-cbc' as ContentCipher | 'none',
      /** RSA PKCS#1 v1.5: the key transport every AS2 partner accepts (OAEP only when agreed). */
      keyTransport: 'rsa-pkcs1' as KeyTransport,
      compress: false,
      /** A synchronous, signed receipt: the delivery is confirmed in the same HTTP exchange. */
      mdn: 'sync' as 'sync' | 'async' | 'none',
      mdnSigned: 'sha256' as DigestAlgorithm | 'none',
      mdnWithinMinutes: 60,
      timeoutSeconds: 120,
    }),
    /** 100 MB, as maxFileBytes: a larger POST is refused before its body is read. */
    maxMessageBytes: 100 * 1024 * 1024,
  }),
  /** Unique per file through the control number and the timestamp. */
  fileName: '{partner}_{set}_{control}_{timestamp}.edi',
});
