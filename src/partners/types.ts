// A trading partner as the gateway and the transports see it: partners/<code>.yaml parsed,
// validated, defaults applied, folders resolved and deep-frozen (src/partners/load.ts).
//
//   const acme = directory.get('acme');                  // PartnerDirectory (below)
//   if (acme?.transport.type === 'sftp') {
//     const password = acme.transport.password?.reveal(); // read from env/file NOW; throws SecretError
//   }
//
// Secrets never hold their value: a Secret names where the value lives ({ env } / { file }) and
// reads it only when reveal() is called. On the Partner object the secret properties are also
// non-enumerable, so logging or JSON.stringify of a partner shows no secret at all.
import type { X509Certificate } from 'node:crypto';
import type { ContentCipher as As2Cipher, DigestAlgorithm as As2Digest, KeyPair as As2KeyPair, KeyTransport as As2KeyTransport } from '../as2/cms/index.js';
import type { SetGuide } from '../x12/guide-types.js';
import type { AlertRuleId, AlertRuleSettings, GatewayAlertsFile } from './alerts-schema.js';

/** ISA05/06 or ISA07/08: an interchange id with its qualifier. */
export interface IsaAddress {
  readonly qualifier: string;
  /** As configured, without the ISA padding. */
  readonly id: string;
}

/** The ids of one side of an exchange. */
export interface PartyIdentity {
  readonly isa: IsaAddress;
  /** GS02 (sender) / GS03 (receiver) application code. */
  readonly gs: string;
}

export type PartnerMode = 'production' | 'test';

export interface X12Delimiters {
  readonly element: string;
  readonly component: string;
  readonly repetition: string;
  readonly segment: string;
}

/** How we write what we send to this partner. */
export interface X12Settings {
  readonly version: '004010' | '005010';
  readonly delimiters: X12Delimiters;
  /** A line break after each segment terminator. */
  readonly lineBreak: boolean;
}

export interface DocumentFlows {
  /** Transaction set ids we accept from the partner (e.g. '850'); anything else is rejected. */
  readonly inbound: readonly string[];
  /** Transaction set ids we send to the partner. */
  readonly outbound: readonly string[];
  /** documents.rules: settings of some of the sets we send, by set id (absent: none; partners/README.md#outbound-settings). */
  readonly rules?: Readonly<Record<string, OutboundSetRules>>;
}

/** The 856's hierarchy: S/O/P/I (goods in packages), S/O/I, or auto (S/O/P/I when the delivery has packages). */
export type ShipNoticeHierarchy = 'SOPI' | 'SOI' | 'auto';

/** An element the partner requires in a set we send, as documents.rules.<set>.require names it. */
export interface RequiredElement {
  /** As written: 'TD5-03', 'REF*BM-02'. */
  readonly text: string;
  readonly segment: string;
  /** Only the segments whose element 01 is this value ('REF*BM-02': BM). */
  readonly qualifier?: string;
  /** 1-based element position. */
  readonly position: number;
}

/** A partner's settings of one set we send (documents.rules.<set>). */
export interface OutboundSetRules {
  /** Written and enveloped (GS08, ISA12) in this version instead of x12.version. */
  readonly version?: '004010' | '005010';
  /** 856 only. */
  readonly hierarchy?: ShipNoticeHierarchy;
  /** A built document lacking one of them is held, never sent. */
  readonly require: readonly RequiredElement[];
}

/** Same values as src/acks/policy.ts AckPolicy, plus the reader's ISA tolerance. */
export interface AcknowledgmentSettings {
  readonly kind: '997' | '999' | 'none';
  readonly ta1: 'requested' | 'on-error' | 'always' | 'never';
  readonly detail: 'all-sets' | 'errors-only';
  /** Tolerate an unpadded (variable-width) ISA: a warning instead of an error. */
  readonly allowVariableIsa: boolean;
  /**
   * Reject a functional group whose GS02 is not identity.gs or whose GS03 is not us.gs (AK9 R, code 1).
   * Off unless the partner file (or _gateway.yaml defaults) says so; absent counts as off.
   */
  readonly checkGroupIds?: boolean;
  /** What we send: its 997/999 is due within this many hours, else the document is ack-overdue (default 24). */
  readonly expectWithinHours?: number;
  /**
   * A production partner's interchange with ISA15 = T: acknowledged and not posted (absent counts as
   * 'accept-not-post', PARTNER_TEST_DATA), or rejected with TA1 020 (PARTNER_USAGE_REFUSED).
   */
  readonly testData?: 'accept-not-post' | 'reject';
  /** A test partner's interchange with ISA15 = P: processed (absent counts as 'accept') or rejected with TA1 020. */
  readonly productionData?: 'accept' | 'reject';
}

/** What happens to an inbound file after intake committed. */
export type ArchivePolicy =
  /** Rename into `folder` (with a timestamp in the name). */
  | { readonly action: 'move'; readonly folder: string }
  | { readonly action: 'delete' }
  /** Leave it in place and remember it (name + size + mtime + sha256) so it is not taken again. */
  | { readonly action: 'leave' };

/** A folder we take files from (the partner's SFTP outbox, or a local AS2 drop folder). */
export interface InboundMailbox {
  /** SFTP: a remote path as given. Folder transport: an absolute local path (relative ones resolved against the data dir). */
  readonly folder: string;
  /** Glob patterns of names to take (`*`, `?`; matched against the base name, case-sensitive). */
  readonly patterns: readonly string[];
  /** Glob patterns of names never to take (temporary names, dot files). */
  readonly ignore: readonly string[];
  /** How often to look (SFTP poll; the folder transport's rescan safety net). */
  readonly pollSeconds: number;
  /** Size and mtime unchanged across two looks this far apart (folder: chokidar awaitWriteFinish threshold). */
  readonly stableSeconds: number;
  /** true: take FILE only when FILE.done exists, and delete the marker after. */
  readonly doneMarker: boolean;
  readonly archive: ArchivePolicy;
}

/** A folder we put files into (the partner's SFTP inbox, or a local AS2 outgoing folder). */
export interface OutboundMailbox {
  readonly folder: string;
  /**
   * File name pattern; placeholders {partner}, {set}, {control} (ISA13), {timestamp} (UTC
   * yyyymmddHHMMss), {uuid}. Render with renderFileName (src/partners/file-name.ts).
   */
  readonly fileName: string;
}

/**
 * A secret named by the partner file ({ env: NAME } or { file: /path }), read only when used.
 * reveal() throws SecretError (message names the env var or file, never a value) when it cannot.
 */
export interface Secret {
  readonly source: 'env' | 'file';
  /** The environment variable's name or the file's path (safe to log). */
  readonly ref: string;
  /** The value, read now (env: the variable's value; file: its content, a trailing newline removed for non-keys). */
  reveal(): string;
  /** The raw bytes (private keys). */
  revealBytes(): Buffer;
}

export interface SftpTransport {
  readonly type: 'sftp';
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Pinned host key: 'SHA256:' + unpadded base64 of sha256(key), as `ssh-keygen -lf` prints. Absent only when insecureAcceptAnyHostKey. */
  readonly hostKey?: string;
  /** Tests only: accept any host key (logged loudly at every connect). */
  readonly insecureAcceptAnyHostKey: boolean;
  /** Non-enumerable. At least one of password and privateKey is present. */
  readonly password?: Secret;
  /** Non-enumerable. */
  readonly privateKey?: Secret;
  /** Non-enumerable (only with privateKey). */
  readonly passphrase?: Secret;
  /** Connect/handshake timeout. Default 20. */
  readonly connectTimeoutSeconds: number;
  /** Idle/operation timeout. Default 60. */
  readonly timeoutSeconds: number;
  readonly inbound?: InboundMailbox;
  readonly outbound?: OutboundMailbox;
}

export interface FolderTransport {
  readonly type: 'folder';
  readonly inbound?: InboundMailbox;
  readonly outbound?: OutboundMailbox;
}

/** The digest, content cipher and key transport names of src/as2/cms (the partner file's values). */
export type { DigestAlgorithm as As2Digest, ContentCipher as As2Cipher, KeyTransport as As2KeyTransport, KeyPair as As2KeyPair } from '../as2/cms/index.js';

/**
 * Our AS2 side towards a partner: the id, the URL and the certificate read at load; the private key
 * only through keyPair(). The secrets (privateKey, passphrase, pkcs12, password) are non-enumerable.
 */
export interface As2Identity {
  /** Our AS2 id: AS2-To of what partners send, AS2-From of what we send. */
  readonly id: string;
  /** The public URL partners send to (given to partners; where an asynchronous MDN comes back). */
  readonly url?: string;
  /** Our certificate first, then any chain the file or the PKCS#12 holds. Empty only when a PKCS#12 could not be opened at load (its password unreadable on this machine). */
  readonly certificates: readonly X509Certificate[];
  /** Where the keys are configured, for messages: 'partners/_gateway.yaml: as2', 'partners/bigbox.yaml: transport.us'. */
  readonly where: string;
  /** 'pem': certificate + privateKey files; 'pkcs12': one PKCS#12 file and its password. */
  readonly form: 'pem' | 'pkcs12';
  /** Non-enumerable. */
  readonly privateKey?: Secret;
  /** Non-enumerable. */
  readonly passphrase?: Secret;
  /** Non-enumerable. */
  readonly pkcs12?: Secret;
  /** Non-enumerable. */
  readonly password?: Secret;
  /** Reads the key (and the PKCS#12) now. Throws SecretError (source unreadable) or As2KeyError (not a key, wrong passphrase, not the certificate's key): messages name the source, never a value. */
  keyPair(): As2KeyPair;
}

/** What we require of the messages a partner sends. */
export interface As2InboundPolicy {
  readonly requireSigned: boolean;
  readonly requireEncrypted: boolean;
}

/** How we send to a partner (defaults: src/partners/defaults.ts). */
export interface As2OutboundSettings {
  readonly sign: As2Digest | 'none';
  readonly encrypt: As2Cipher | 'none';
  readonly keyTransport: As2KeyTransport;
  readonly compress: boolean;
  readonly mdn: 'sync' | 'async' | 'none';
  /** The MIC algorithm asked for in a signed receipt, or none (an unsigned receipt). */
  readonly mdnSigned: As2Digest | 'none';
  /** async: no MDN within this many minutes -> mdn-overdue. */
  readonly mdnWithinMinutes: number;
  /** HTTP send timeout. */
  readonly timeoutSeconds: number;
  /** The file name in Content-Disposition (renderFileName placeholders). */
  readonly fileName: string;
}

export interface As2Transport {
  readonly type: 'as2';
  /** The partner's AS2 id: AS2-From of what they send, AS2-To of ours (compared exactly, case-sensitive). */
  readonly as2Id: string;
  /** Where we send; present whenever documents.outbound is not empty. */
  readonly url?: string;
  /** The partner's certificates, read at load (several during a rollover): verify their signatures and MDNs; the first encrypts what we send. */
  readonly certificates: readonly X509Certificate[];
  /** Our side: transport.us, else partners/_gateway.yaml as2. */
  readonly ourKeys: As2Identity;
  readonly inbound: As2InboundPolicy;
  readonly outbound: As2OutboundSettings;
}

export type PartnerTransport = SftpTransport | FolderTransport | As2Transport;
export type TransportType = PartnerTransport['type'];

export interface Partner {
  /** The file name without .yaml (partners/acme.yaml -> 'acme'); the `partner` of intake and of every record. */
  readonly code: string;
  /** Display name. */
  readonly name: string;
  /** The file it came from (absolute path). */
  readonly file: string;
  /** production | test: ISA15 P / T of what we send; inbound test data is never posted in production mode. */
  readonly mode: PartnerMode;
  /**
   * false: the partner is known (its files are recognized and acknowledged as configured) but its
   * transport is not started (edi start). loadPartners always sets it (default true); optional so
   * partners built by hand (tests) need not.
   */
  readonly enabled?: boolean;
  /** The partner's ids: inbound ISA06/GS02 must match; outbound ISA08/GS03. */
  readonly identity: PartyIdentity;
  /** Our ids towards this partner (from the partner file, else partners/_gateway.yaml). */
  readonly us: PartyIdentity;
  readonly x12: X12Settings;
  readonly documents: DocumentFlows;
  readonly acknowledgments: AcknowledgmentSettings;
  /** Larger files are kept without their bytes and rejected. */
  readonly maxFileBytes: number;
  readonly transport: PartnerTransport;
  /** How documents of this partner are posted into Odoo, as written in its file (defaults: src/odoo/settings.ts). */
  readonly odoo?: OdooPartnerFile;
  /** Per-partner alert rule settings (over partners/_gateway.yaml's; docs/alerts.md). */
  readonly alerts?: { readonly rules?: Readonly<Partial<Record<AlertRuleId, AlertRuleSettings>>> };
  /** Keys, passwords and certificates given an expiry date (a secret's `expires:`, alerts.expiring). */
  readonly expiries?: readonly PartnerExpiry[];
  /** The implementation guides the file names (`guide:`), by set id: inbound sets and what we send are checked against them (partners/README.md#implementation-guides). */
  readonly guides?: Readonly<Record<string, SetGuide>>;
}

/** Something of a partner's that runs out on a date (alert rule `expiring`). */
export interface PartnerExpiry {
  /** 'transport.privateKey', or the name given under alerts.expiring. */
  readonly name: string;
  /** YYYY-MM-DD. */
  readonly expires: string;
}

/** What a product id of some qualifier is matched against: the mapping table, barcodes, internal references, the vendor's product codes. */
export type ProductIdTarget = 'mapping' | 'barcode' | 'defaultCode' | 'supplierCode';

/** partners/<code>.yaml `odoo:` as written (every key optional but partner). */
export interface OdooPartnerFile {
  readonly partner: { readonly id?: number; readonly ref?: string; readonly name?: string; readonly vat?: string };
  /** fields: N103 qualifier -> res.partner field its id is matched in and kept in (docs/odoo.md#parties). */
  readonly shipTo?: { readonly match?: readonly ('gln' | 'ref' | 'duns' | 'name')[]; readonly createMissing?: boolean; readonly fields?: Readonly<Record<string, string>> };
  /** ids: X12 product id qualifier (PO106, LIN02...) -> what it is matched against in Odoo (docs/odoo.md#products). */
  readonly products?: { readonly match?: readonly ('mapping' | 'gtin' | 'defaultCode' | 'supplierCode')[]; readonly ids?: Readonly<Record<string, ProductIdTarget>> };
  readonly units?: Readonly<Record<string, string>>;
  /** missing: what a line without a document price (no PO104, no usable CTP) gets (docs/odoo.md#prices). */
  readonly prices?: { readonly policy?: 'edi' | 'odoo' | 'reject'; readonly missing?: 'list-price' | 'reject'; readonly tolerancePercent?: number };
  readonly confirmOrders?: boolean;
  readonly applyAckChanges?: boolean;
  readonly validateReceipts?: boolean;
}

/** partners/_gateway.yaml: our identity and defaults for every partner. */
export interface GatewaySettings {
  readonly file?: string;
  readonly us?: PartyIdentity;
  /** partners/_gateway.yaml `alerts:` as written (secrets as their sources; src/alerts/config.ts). */
  readonly alerts?: GatewayAlertsFile;
  /** partners/_gateway.yaml `as2:`: our AS2 identity for the AS2 partners that give none of their own. */
  readonly as2?: GatewayAs2;
}

export interface GatewayAs2 extends As2Identity {
  /** A larger POST /as2/... is refused before its body is read (default 100 MB). */
  readonly maxMessageBytes: number;
}

/** One problem in the partner configuration (every problem of every file is reported at once). */
export interface ConfigError {
  /** Path relative to the partners folder's parent when possible, e.g. 'partners/acme.yaml'. */
  readonly file: string;
  /** Dotted key path ('transport.hostKey', 'documents.inbound.2'); '' for the whole file. */
  readonly path: string;
  /** Full sentence: `partners/acme.yaml: transport.hostKey: found "abc", expected ...`. */
  readonly message: string;
  /** Line in the file, when known. */
  readonly line?: number;
}

/** A partner file with problems: the partner is out of service until the file is fixed (the others run). */
export interface BrokenPartner {
  /** The file name without .yaml. */
  readonly code: string;
  /** Absolute path of the file. */
  readonly file: string;
  /** As shown in messages ('partners/acme.yaml'). */
  readonly display: string;
  /** Every problem of the file (each names the key, what was found and what is expected). */
  readonly errors: readonly ConfigError[];
  /** A reload found the problems in a partner that was running: its previous configuration stays in force. */
  readonly previousInForce?: boolean;
}

/** What changed in a reload. */
export interface PartnerChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/**
 * The partners the gateway and the transports work with: the current, valid configuration.
 * A reload replaces it atomically; a failed reload keeps the old one.
 */
export interface PartnerDirectory {
  get(code: string): Partner | undefined;
  /** Sorted by code. */
  all(): readonly Partner[];
  /** Our global identity (partners/_gateway.yaml), if any. */
  gateway(): GatewaySettings;
  /**
   * Partner files with problems (out of service, or running on their previous configuration), for
   * `edi partners` and the console's partner health. Absent on directories built by hand.
   */
  broken?(): readonly BrokenPartner[];
  /** The AS2 partner whose AS2 id is `from` and who knows us as `to` (exact, case-sensitive ids). */
  byAs2(from: string, to: string): Partner | undefined;
  /** Our AS2 ids served (POST /as2/<id>): _gateway.yaml's and each AS2 partner's transport.us.id, sorted. */
  as2Ids(): readonly string[];
  /** Called after each successful reload that changed something; returns an unsubscribe function. */
  onChange(listener: (change: PartnerChange, directory: PartnerDirectory) => void): () => void;
}
