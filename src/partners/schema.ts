// The shape of partners/<code>.yaml and partners/_gateway.yaml (zod 4). No coercion: a value of the
// wrong type is an error that says what is expected. Every message of this schema is the
// "expected ..." half of a sentence (issues.ts adds file, key path and the value found).
// Unknown keys are errors listing the allowed keys; common other names (aliases) name the key they mean; a literal
// secret is an error that never echoes the value. Defaults are applied later (build.ts), so that
// partners/_gateway.yaml can supply them too.
import { z } from 'zod';
import type { ContentCipher, DigestAlgorithm, KeyTransport } from '../as2/cms/index.js';
import { FILE_NAME_PLACEHOLDERS, unknownPlaceholders } from './file-name.js';
import { expiryDateSchema, gatewayAlertsSchema, partnerAlertsSchema } from './alerts-schema.js';

/** What a custom issue is about (issues.ts words each kind). */
export type IssueKind = 'unknown-key' | 'literal-secret';
export interface IssueParams {
  kind: IssueKind;
  /** unknown-key: the keys allowed where it was found. */
  allowed?: readonly string[];
  /** unknown-key: a name people commonly use (other gateways, other spellings) -> the key it means here. */
  aliases?: Readonly<Record<string, string>>;
}

/**
 * A mapping with exactly these keys (all optional unless their schema says otherwise). Any other
 * key is an issue; `aliases` maps names people commonly write for a key to the key it means, so
 * the message can name the right one.
 */
function section<S extends z.ZodRawShape>(shape: S, what: string, aliases: Record<string, string> = {}) {
  const allowed = Object.keys(shape);
  const params: IssueParams = { kind: 'unknown-key', allowed, aliases };
  return z
    .object(shape, { error: `${what} (a mapping with the keys ${allowed.join(', ')})` })
    .catchall(z.unknown().superRefine((_value, ctx) => ctx.addIssue({ code: 'custom', message: 'unknown key', params })));
}

const text = (expected: string, pattern?: RegExp) => {
  const s = z.string({ error: expected }).min(1, { error: expected });
  return pattern ? s.regex(pattern, { error: expected }) : s;
};
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: values.map((v) => (/^\d+$/.test(v) ? `'${v}'` : v)).join(' or ').replace(/ or (?=.* or )/g, ', ') });
const flag = () => z.boolean({ error: 'true or false' });
const wholeNumber = (expected: string, min: number, max: number) =>
  z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
const seconds = (expected: string, min: number) => z.number({ error: expected }).min(min, { error: expected }).max(86_400, { error: expected });

// X12 ids: printable ASCII without leading or trailing spaces (the ISA padding is ours to add).
const ISA_QUALIFIER = /^[A-Z0-9]{2}$/;
const ISA_ID = /^[!-~](?:[ -~]{0,13}[!-~])?$/;
const GS_ID = /^[!-~][ -~]{0,13}[!-~]$/;
/** 'SHA256:' + unpadded base64 of a 32-byte digest, as `ssh-keygen -lf` prints it. */
export const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A folder: no control characters, no '..' component. */
const FOLDER = /^(?![\s\S]*(?:^|[/\\])\.\.(?:[/\\]|$))[^\u0000-\u001f\u007f]+$/;
/** A name pattern: no path separators, no control characters. */
const NAME_PATTERN = /^[^/\\\u0000-\u001f\u007f]+$/;

export const isaAddressSchema = section(
  {
    qualifier: text('a two-character ISA qualifier in capitals, such as ZZ, 01, 08 or 12', ISA_QUALIFIER),
    id: text('an ISA id of 1 to 15 characters, without the padding spaces', ISA_ID),
  },
  'the ISA qualifier and id',
);

export const identitySchema = section(
  {
    isa: isaAddressSchema,
    gs: text('a GS application id of 2 to 15 characters', GS_ID),
  },
  'ISA and GS ids',
  { gsId: 'gs', isaId: 'isa', qualifier: 'isa' },
);

const delimiter = text('a single character that is not a letter, digit or space', /^[^A-Za-z0-9 ]$/);

export const x12Schema = section(
  {
    version: oneOf(['004010', '005010']).optional(),
    delimiters: section(
      {
        element: delimiter.optional(),
        component: delimiter.optional(),
        repetition: delimiter.optional(),
        segment: delimiter.optional(),
      },
      'the four delimiters',
      { separator: 'element', terminator: 'segment', subelement: 'component' },
    ).optional(),
    lineBreak: flag().optional(),
  },
  'X12 settings of what we send',
);

const setId = text("a transaction set id of three digits in quotes, such as '850'", /^\d{3}$/);
const setList = z.array(setId, { error: "a list of transaction set ids such as ['850', '856']" });

/** 'TD5-03' (element 03 of every TD5), 'REF*BM-02' (element 02 of the REFs whose REF01 is BM): outbound-rules.ts. */
export const REQUIRED_ELEMENT = /^([A-Z][A-Z0-9]{1,2})(?:\*([A-Z0-9]{1,3}))?-(\d{2})$/;

/** The settings of one set we send (build.ts checks them against documents.outbound and specs/). */
export const outboundRuleSchema = section(
  {
    version: oneOf(['004010', '005010']).optional(),
    hierarchy: oneOf(['SOPI', 'SOI', 'auto']).optional(),
    require: z
      .array(text("an element as SEG-NN, such as 'TD5-03', or SEG*QUALIFIER-NN for the segments whose first element is QUALIFIER, such as 'REF*BM-02'", REQUIRED_ELEMENT), {
        error: "a list of elements such as ['TD5-03', 'REF*BM-02']",
      })
      .optional(),
  },
  'the settings of one set we send',
  { structure: 'hierarchy', hl: 'hierarchy', required: 'require', requires: 'require', mandatory: 'require' },
);

const outboundRules = z.record(z.string().regex(/^\d{3}$/), outboundRuleSchema, {
  error: (issue) => (issue.code === 'invalid_key' ? "transaction set ids in quotes as keys, such as '856'" : "a mapping of the sets we send to their settings (e.g. '856': { hierarchy: SOPI })"),
});

export const documentsSchema = section({ inbound: setList, outbound: setList.optional(), rules: outboundRules.optional() }, 'the sets that flow each way', {
  receive: 'inbound',
  send: 'outbound',
  outboundRules: 'rules',
  settings: 'rules',
  overrides: 'rules',
});

export const acknowledgmentsSchema = section(
  {
    kind: oneOf(['997', '999', 'none']).optional(),
    ta1: oneOf(['requested', 'on-error', 'always', 'never']).optional(),
    detail: oneOf(['all-sets', 'errors-only']).optional(),
    allowVariableIsa: flag().optional(),
    checkGroupIds: flag().optional(),
    // What we expect back for what we send: a 997/999 within this many hours, else ack-overdue.
    expectWithinHours: wholeNumber('a number of hours from 1 to 720', 1, 720).optional(),
    // ISA15 not matching the partner's mode (build.ts checks each is given only for its mode).
    testData: oneOf(['accept-not-post', 'reject']).optional(),
    productionData: oneOf(['accept', 'reject']).optional(),
  },
  'the acknowledgment policy',
  { type: 'kind', functionalAck: 'kind', variableIsa: 'allowVariableIsa', testIndicator: 'testData', usage: 'testData' },
);

/** { env: NAME } or { file: /path }; anything else, above all a literal value, is an issue. */
export const secretRefSchema = z.unknown().transform((value, ctx): SecretRef => {
  const expected = '{ env: NAME } or { file: /path/to/file }';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const literal = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    ctx.addIssue({
      code: 'custom',
      message: expected,
      ...(literal ? { params: { kind: 'literal-secret' } satisfies IssueParams } : {}),
    });
    return z.NEVER;
  }
  // `expires: 2027-01-31` next to the source: the date the key or password runs out (alert rule `expiring`).
  const keys = Object.keys(value).filter((k) => k !== 'expires');
  const v = value as Record<string, unknown>;
  if (keys.length !== 1 || (keys[0] !== 'env' && keys[0] !== 'file')) {
    ctx.addIssue({ code: 'custom', message: `${expected} (exactly one of the keys env, file; and expires: a date, if you like)` });
    return z.NEVER;
  }
  let expires: { expires: string } | Record<string, never> = {};
  if ('expires' in v) {
    const date = expiryDateSchema.safeParse(v.expires);
    if (!date.success) {
      ctx.addIssue({ code: 'custom', message: 'a date such as 2027-01-31 (year-month-day)', path: ['expires'] });
      return z.NEVER;
    }
    expires = { expires: date.data };
  }
  if (keys[0] === 'env') {
    if (typeof v.env !== 'string' || !ENV_NAME.test(v.env)) {
      ctx.addIssue({ code: 'custom', message: 'the name of an environment variable (letters, digits, _)', path: ['env'] });
      return z.NEVER;
    }
    return { env: v.env, ...expires };
  }
  if (typeof v.file !== 'string' || v.file.length === 0 || /[\u0000-\u001f]/.test(v.file)) {
    ctx.addIssue({ code: 'custom', message: 'the path of a file holding the secret', path: ['file'] });
    return z.NEVER;
  }
  return { file: v.file, ...expires };
});
export type SecretRef = ({ env: string } | { file: string }) & { expires?: string };

const folder = text('a folder path (no .. components, no control characters)', FOLDER);
const patternList = (what: string) =>
  z.array(text('a file-name pattern such as *.edi (no / or \\)', NAME_PATTERN), { error: `a list of ${what} such as ['*.edi', '*.x12']` });

export const archiveSchema = section(
  {
    action: oneOf(['move', 'delete', 'leave']),
    folder: folder.optional(),
  },
  'what to do with a file after it is stored',
);

export const inboundSchema = section(
  {
    folder,
    patterns: patternList('file-name patterns to take').optional(),
    ignore: patternList('file-name patterns never to take').optional(),
    pollSeconds: seconds('a number of seconds from 1 to 86400', 1).optional(),
    stableSeconds: seconds('a number of seconds from 0 to 86400', 0).optional(),
    doneMarker: flag().optional(),
    archive: archiveSchema.optional(),
  },
  'the inbound mailbox',
  {
    path: 'folder', dir: 'folder', directory: 'folder', pattern: 'patterns', exclude: 'ignore',
    pollInterval: 'pollSeconds', pollIntervalSeconds: 'pollSeconds', interval: 'pollSeconds',
    stableFor: 'stableSeconds', settleSeconds: 'stableSeconds', done: 'doneMarker', afterIntake: 'archive',
  },
);

const fileNamePattern = text('a file-name pattern (no / or \\)', NAME_PATTERN).superRefine((pattern, ctx) => {
  const unknown = unknownPlaceholders(pattern);
  if (unknown.length) {
    ctx.addIssue({ code: 'custom', message: `a pattern whose placeholders are among ${FILE_NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} (unknown: ${unknown.map((p) => `{${p}}`).join(', ')})` });
  }
});

export const outboundSchema = section({ folder, fileName: fileNamePattern.optional() }, 'the outbound mailbox', {
  path: 'folder', dir: 'folder', directory: 'folder', filename: 'fileName', name: 'fileName', namePattern: 'fileName',
});

const sftpTransportSchema = section(
  {
    type: z.literal('sftp'),
    host: text('a host name or IP address', /^[^\s/]+$/),
    port: wholeNumber('a port number from 1 to 65535', 1, 65535).optional(),
    username: text('the SFTP user name'),
    hostKey: text('a SHA256 fingerprint like SHA256:base64 (ssh-keygen -lf)', FINGERPRINT).optional(),
    insecureAcceptAnyHostKey: flag().optional(),
    password: secretRefSchema.optional(),
    privateKey: secretRefSchema.optional(),
    passphrase: secretRefSchema.optional(),
    connectTimeoutSeconds: seconds('a number of seconds from 1 to 86400', 1).optional(),
    timeoutSeconds: seconds('a number of seconds from 1 to 86400', 1).optional(),
    inbound: inboundSchema.optional(),
    outbound: outboundSchema.optional(),
  },
  'the SFTP transport',
  {
    user: 'username', server: 'host', hostname: 'host', fingerprint: 'hostKey', hostFingerprint: 'hostKey',
    hostKeyFingerprint: 'hostKey', key: 'privateKey', privateKeyFile: 'privateKey', keyFile: 'privateKey',
    outbox: 'inbound', inbox: 'outbound',
  },
);

const folderTransportSchema = section(
  { type: z.literal('folder'), inbound: inboundSchema.optional(), outbound: outboundSchema.optional() },
  'the folder transport',
  { in: 'inbound', out: 'outbound' },
);

/** An AS2 name (RFC 4130, AS2-From and AS2-To): 1 to 128 printable ASCII; no quote or backslash, which the header would have to escape. */
export const AS2_ID = /^[!#-[\]-~](?:[ !#-[\]-~]{0,126}[!#-[\]-~])?$/;
const as2Id = (whose: string) => text(`${whose} AS2 id: 1 to 128 printable ASCII characters (no " or \\, no space at either end)`, AS2_ID);
const httpUrl = (what: string) => text(`${what}: an http:// or https:// URL`, /^https?:\/\/[^\s/?#]+[^\s]*$/);
/** A certificate file (PEM or DER): not a secret, it is given to the partner. */
const certificateFile = section(
  { file: text('the path of a certificate file (PEM or DER)', /^[^\u0000-\u001f]+$/) },
  'a certificate file ({ file: path })',
  { path: 'file' },
);
export const DIGESTS = ['sha1', 'sha256', 'sha384', 'sha512'] as const satisfies readonly DigestAlgorithm[];
export const CIPHERS = ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'aes128-gcm', 'aes192-gcm', 'aes256-gcm', '3des'] as const satisfies readonly ContentCipher[];
export const KEY_TRANSPORTS = ['rsa-pkcs1', 'rsa-oaep', 'rsa-oaep-sha256'] as const satisfies readonly KeyTransport[];

/** Our AS2 keys: certificate + privateKey (+ passphrase), or pkcs12 + password (build.ts checks which). */
const as2KeysShape = {
  certificate: certificateFile.optional(),
  privateKey: secretRefSchema.optional(),
  passphrase: secretRefSchema.optional(),
  pkcs12: secretRefSchema.optional(),
  password: secretRefSchema.optional(),
};
const as2KeysAliases = { key: 'privateKey', keyFile: 'privateKey', cert: 'certificate', p12: 'pkcs12', pfx: 'pkcs12', keystore: 'pkcs12' };

/** partners/_gateway.yaml `as2:`: our AS2 identity for every AS2 partner. */
export const gatewayAs2Schema = section(
  {
    id: as2Id('our'),
    url: httpUrl('the public URL partners send to (https://edi.example.com/as2/OURCO)').optional(),
    ...as2KeysShape,
    maxMessageBytes: wholeNumber('a number of bytes from 1 to 2147483647', 1, 2 ** 31 - 1).optional(),
  },
  'our AS2 identity',
  { as2Id: 'id', name: 'id', endpoint: 'url', ...as2KeysAliases, maxBytes: 'maxMessageBytes', maxSize: 'maxMessageBytes' },
);

const as2TransportSchema = section(
  {
    type: z.literal('as2'),
    as2Id: as2Id('the partner\'s'),
    url: httpUrl('where we send to').optional(),
    certificate: z.union([certificateFile, z.array(certificateFile, { error: 'a list of certificate files' }).min(1, { error: 'at least one certificate file' })], {
      error: 'the partner\'s certificate: { file: path }, or a list of them (rollover)',
    }),
    us: section({ id: as2Id('our').optional(), url: httpUrl('the public URL this partner sends to').optional(), ...as2KeysShape }, 'our AS2 identity towards this partner', {
      as2Id: 'id', endpoint: 'url', ...as2KeysAliases,
    }).optional(),
    inbound: section({ requireSigned: flag().optional(), requireEncrypted: flag().optional() }, 'what we require of what the partner sends', {
      signed: 'requireSigned', encrypted: 'requireEncrypted',
    }).optional(),
    outbound: section(
      {
        sign: oneOf([...DIGESTS, 'none']).optional(),
        encrypt: oneOf([...CIPHERS, 'none']).optional(),
        keyTransport: oneOf(KEY_TRANSPORTS).optional(),
        compress: flag().optional(),
        mdn: oneOf(['sync', 'async', 'none']).optional(),
        mdnSigned: oneOf([...DIGESTS, 'none']).optional(),
        mdnWithinMinutes: wholeNumber('a number of minutes from 1 to 10080', 1, 10_080).optional(),
        timeoutSeconds: seconds('a number of seconds from 1 to 86400', 1).optional(),
        fileName: fileNamePattern.optional(),
      },
      'how we send to the partner',
      {
        signing: 'sign', signature: 'sign', digest: 'sign', mic: 'mdnSigned', encryption: 'encrypt', cipher: 'encrypt', compression: 'compress',
        receipt: 'mdn', requestMdn: 'mdn', signedMdn: 'mdnSigned', timeout: 'timeoutSeconds', filename: 'fileName', name: 'fileName',
      },
    ).optional(),
  },
  'the AS2 transport',
  {
    id: 'as2Id', as2From: 'as2Id', partnerId: 'as2Id', theirId: 'as2Id', endpoint: 'url', cert: 'certificate', certificates: 'certificate',
    partnerCertificate: 'certificate', ours: 'us', our: 'us', receive: 'inbound', send: 'outbound',
  },
);

export const transportSchema = z.discriminatedUnion('type', [sftpTransportSchema, folderTransportSchema, as2TransportSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'sftp, folder or as2' : 'a transport section with type: sftp, type: folder or type: as2'),
});

const MATCH_PRODUCT = ['mapping', 'gtin', 'defaultCode', 'supplierCode'] as const;
const MATCH_ADDRESS = ['gln', 'ref', 'duns', 'name'] as const;
const PRODUCT_ID_TARGETS = ['mapping', 'barcode', 'defaultCode', 'supplierCode'] as const;

/** How the postings find and write Odoo records for this partner (src/odoo/settings.ts applies the defaults). */
export const odooSchema = section(
  {
    partner: section(
      {
        id: wholeNumber('a res.partner id (a whole number from 1)', 1, 2 ** 31 - 1).optional(),
        ref: text('the partner\'s Internal Reference (res.partner ref)').optional(),
        name: text('the partner\'s exact name in Odoo').optional(),
        vat: text('the partner\'s tax id (res.partner vat)').optional(),
      },
      'how to find the partner in Odoo (one of id, ref, name, vat)',
      { reference: 'ref', internalReference: 'ref', partnerId: 'id' },
    ).superRefine((how, ctx) => {
      if (how.id === undefined && !how.ref && !how.name && !how.vat) {
        ctx.addIssue({ code: 'custom', message: 'one of id, ref, name or vat: how to find the partner\'s contact in Odoo (e.g. partner: { ref: ACME })' });
      }
    }),
    shipTo: section(
      {
        match: z.array(oneOf(MATCH_ADDRESS), { error: `a list of ${MATCH_ADDRESS.join(', ')}` }).min(1, { error: 'at least one way to match' }).optional(),
        createMissing: flag().optional(),
        fields: z
          .record(z.string().regex(/^[A-Z0-9]{1,2}$/), text('a res.partner field name (e.g. ref, barcode, x_duns)', /^[a-z_][a-z0-9_]*$/), {
            error: (issue) => (issue.code === 'invalid_key' ? "N103 id qualifiers as keys (one or two capitals or digits, e.g. '1': ref for DUNS)" : "a mapping of N103 id qualifiers to res.partner fields (e.g. '1': x_duns)"),
          })
          .optional(),
      },
      'how ship-to and bill-to parties are matched to the partner\'s addresses',
      { create: 'createMissing', createUnknown: 'createMissing' },
    ).optional(),
    products: section(
      {
        match: z.array(oneOf(MATCH_PRODUCT), { error: `a list of ${MATCH_PRODUCT.join(', ')}` }).min(1, { error: 'at least one way to match' }).optional(),
        ids: z
          .record(z.string().regex(/^[A-Z0-9]{2}$/), oneOf(PRODUCT_ID_TARGETS), {
            error: (issue) => (issue.code === 'invalid_key' ? 'X12 product id qualifiers as keys (two capitals or digits, e.g. MG: defaultCode)' : `a mapping of X12 product id qualifiers to ${PRODUCT_ID_TARGETS.join(', ')} (e.g. MG: defaultCode)`),
          })
          .optional(),
      },
      'how products are matched',
    ).optional(),
    units: z
      .record(z.string().regex(/^[A-Z0-9]{2}$/), text('the name of an Odoo unit of measure'), {
        error: (issue) => (issue.code === 'invalid_key' ? 'X12 unit codes as keys (two capitals or digits, e.g. CA: Case of 12)' : 'a mapping of X12 unit codes to Odoo unit names (e.g. CA: Case of 12)'),
      })
      .optional(),
    prices: section(
      { policy: oneOf(['edi', 'odoo', 'reject'] as const).optional(), missing: oneOf(['list-price', 'reject'] as const).optional(), tolerancePercent: z.number({ error: 'a percentage from 0 to 100' }).min(0, { error: 'a percentage from 0 to 100' }).max(100, { error: 'a percentage from 0 to 100' }).optional() },
      'the price policy',
      { tolerance: 'tolerancePercent', withoutPrice: 'missing', noPrice: 'missing' },
    ).optional(),
    confirmOrders: flag().optional(),
    applyAckChanges: flag().optional(),
    validateReceipts: flag().optional(),
  },
  'the Odoo settings',
  { autoConfirm: 'confirmOrders', confirm: 'confirmOrders', validateReceipt: 'validateReceipts', apply855Changes: 'applyAckChanges' },
);

/** The optional settings _gateway.yaml `defaults:` may give for every partner. */
const defaultsShape = {
  mode: oneOf(['production', 'test']).optional(),
  x12: x12Schema.optional(),
  acknowledgments: acknowledgmentsSchema.optional(),
  maxFileBytes: wholeNumber('a number of bytes from 1 to 2147483647', 1, 2 ** 31 - 1).optional(),
};

/** A guide's name: its file is partners/guides/<name>.yaml. */
export const GUIDE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const GUIDE_EXPECTED = 'the name of a guide in partners/guides/ (bigbox-850-856 for partners/guides/bigbox-850-856.yaml), or a list of them';
const GUIDE_NAME = text(GUIDE_EXPECTED, GUIDE_NAME_PATTERN);

export const partnerFileSchema = section(
  {
    name: text('a display name').optional(),
    enabled: flag().optional(),
    ...defaultsShape,
    identity: identitySchema,
    us: identitySchema.optional(),
    documents: documentsSchema,
    transport: transportSchema,
    odoo: odooSchema.optional(),
    alerts: partnerAlertsSchema.optional(),
    // partners/guides/<name>.yaml (src/partners/guides.ts reads and checks them).
    guide: z.union([GUIDE_NAME, z.array(GUIDE_NAME, { error: GUIDE_EXPECTED }).min(1, { error: GUIDE_EXPECTED })], { error: GUIDE_EXPECTED }).optional(),
  },
  'a partner file',
  {
    ack: 'acknowledgments', acks: 'acknowledgments', acknowledgements: 'acknowledgments', maxFileSize: 'maxFileBytes',
    maxBytes: 'maxFileBytes', sets: 'documents', partner: 'identity', ids: 'identity', ours: 'us', our: 'us', usage: 'mode',
    guides: 'guide', implementationGuide: 'guide',
  },
);

export type PartnerFile = z.output<typeof partnerFileSchema>;
export type TransportFile = z.output<typeof transportSchema>;
export type InboundFile = z.output<typeof inboundSchema>;
export type As2TransportFile = z.output<typeof as2TransportSchema>;
export type GatewayAs2File = z.output<typeof gatewayAs2Schema>;

export const gatewayFileSchema = section(
  {
    us: identitySchema.optional(),
    defaults: section(defaultsShape, 'defaults for every partner').optional(),
    alerts: gatewayAlertsSchema.optional(),
    as2: gatewayAs2Schema.optional(),
  },
  'our identity and defaults',
  { identity: 'us', ours: 'us' },
);

export type GatewayFile = z.output<typeof gatewayFileSchema>;
