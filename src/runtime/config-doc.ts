// docs/configuration.md as a pure function of the zod schemas (the environment's in env-schema.ts,
// the partner files' in partners/schema.ts) and the built-in defaults, so the reference cannot
// drift: `npm run docs:config` writes it, test/runtime/config-doc.test.ts compares.
import type { z } from 'zod';
import { odooSettingsOf } from '../odoo/settings.js';
import { BUILT_IN } from '../partners/defaults.js';
import { gatewayFileSchema, partnerFileSchema, secretRefSchema } from '../partners/schema.js';
import type { OdooPartnerFile } from '../partners/types.js';
import { ENV_GROUPS } from './env-schema.js';

/** What a walker needs of zod 4's definitions (they are not typed for reading). */
interface Def {
  type: string;
  error?: (issue: object) => unknown;
  innerType?: Schema;
  defaultValue?: unknown;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  entries?: Record<string, string>;
  values?: unknown[];
  checks?: Array<{ _zod: { def: { error?: (issue: object) => unknown } } }>;
}
type Schema = z.ZodType | z.core.$ZodType;
const defOf = (schema: Schema) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const descriptionOf = (schema: Schema) => (schema as z.ZodType).description;

/** The "expected ..." text a schema's error gives (partners/schema.ts words every one of them). */
function expected(schema: Schema): string | undefined {
  const def = defOf(schema);
  const own = def.error?.({});
  if (typeof own === 'string') return own;
  const check = def.checks?.map((c) => c._zod.def.error?.({})).find((m) => typeof m === 'string');
  return typeof check === 'string' ? check : undefined;
}

const unwrap = (schema: Schema): { inner: Schema; optional: boolean; fallback?: unknown } => {
  let inner = schema;
  let optional = false;
  let fallback: unknown;
  for (;;) {
    const def = defOf(inner);
    if (def.type === 'optional') optional = true;
    else if (def.type === 'default') {
      optional = true;
      fallback = def.defaultValue;
    } else break;
    inner = def.innerType!;
  }
  return { inner, optional, ...(fallback !== undefined ? { fallback } : {}) };
};

/** A value's form in a few words; `checked`: a string's own check says its form (the environment's numbers). */
function formOf(schema: Schema, checked = false): string {
  if (schema === secretRefSchema) return '`{ env: NAME }` or `{ file: path }`';
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return checked ? expected(schema) ?? 'text' : 'text';
    case 'number':
      return 'number';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${Object.values(def.entries ?? {}).map((v) => `\`${v}\``).join(', ')}`;
    case 'literal':
      return (def.values ?? []).map((v) => `\`${String(v)}\``).join(', ');
    case 'array':
      return `list of ${formOf(def.element!)}`;
    case 'record':
      return `mapping to ${formOf(def.valueType!)}`;
    case 'object':
      return 'mapping';
    default:
      return def.type;
  }
}

/**
 * What a key does, where its schema's message only repeats its form (true or false, a list of
 * values). Keyed by path; test/runtime/config-doc.test.ts checks that each is still a key.
 */
export const PARTNER_KEY_NOTES: Readonly<Record<string, string>> = {
  enabled: 'false: the partner is known (its files are recognized and acknowledged) but its transport does not run, and its file is checked for form only',
  mode: 'production or test; required here or under `defaults:` in _gateway.yaml (docs: partners/README.md, "Test mode")',
  'x12.lineBreak': 'one segment per line in what we send',
  'acknowledgments.kind': 'the functional acknowledgment we send for what we receive',
  'acknowledgments.ta1': 'when we send a TA1: requested (ISA14 = 1, or envelope errors), on-error, always or never',
  'acknowledgments.detail': 'all-sets: every set in the 997/999; errors-only: only the sets with errors',
  'acknowledgments.allowVariableIsa': 'true: an unpadded ISA is a warning instead of an error',
  'acknowledgments.checkGroupIds': 'true: GS02 must be identity.gs and GS03 us.gs, else the group is rejected',
  'acknowledgments.testData': 'a production partner\'s interchange with ISA15 = T: acknowledged and not posted, or rejected',
  'acknowledgments.productionData': 'a test partner\'s interchange with ISA15 = P: processed as test data, or rejected',
  identity: 'the partner\'s ISA and GS ids (how its files are recognized)',
  us: 'our ISA and GS ids with this partner (else those of _gateway.yaml)',
  'transport.type': 'sftp: an SFTP server we poll and write to; folder: local folders (drop folders of other software, tests); as2: built-in AS2 (partners/README.md, "AS2")',
  'transport.certificate': 'the partner\'s certificate file (PEM or DER; relative paths: from the partners folder), or a list during a rollover: verifies their signatures and MDNs, the first encrypts what we send',
  'transport.us': 'our AS2 id, URL and keys with this partner (else as2: of _gateway.yaml)',
  'transport.us.privateKey': 'our private key (PEM or DER), from a file or an environment variable; with us.certificate',
  'transport.us.passphrase': 'the private key\'s passphrase, if it is encrypted',
  'transport.us.pkcs12': 'our key and certificate in one PKCS#12 file, instead of certificate + privateKey',
  'transport.us.password': 'the PKCS#12 file\'s password',
  'transport.inbound.requireSigned': 'AS2: a message without a signature is refused (negative MDN)',
  'transport.inbound.requireEncrypted': 'AS2: a message that is not encrypted is refused (negative MDN)',
  'transport.outbound.sign': 'AS2: the digest we sign with, or none',
  'transport.outbound.encrypt': 'AS2: the content cipher we encrypt with (for the partner\'s first certificate), or none',
  'transport.outbound.keyTransport': 'AS2: how the content key is encrypted for the partner: RSA PKCS#1 v1.5 or OAEP',
  'transport.outbound.compress': 'AS2: true: compress before signing',
  'transport.outbound.mdn': 'AS2: the receipt we ask for: in the same HTTP exchange (sync), posted back later to our URL (async), or none',
  'transport.outbound.mdnSigned': 'AS2: the MIC algorithm of the signed receipt we ask for, or none for an unsigned one',
  'as2.certificate': 'our certificate (PEM or DER), not a secret: give it to the partners',
  'as2.privateKey': 'our private key (PEM or DER), from a file or an environment variable',
  'as2.passphrase': 'the private key\'s passphrase, if it is encrypted',
  'as2.pkcs12': 'our key and certificate in one PKCS#12 file ({ file: path }), instead of certificate + privateKey',
  'as2.password': 'the PKCS#12 file\'s password',
  'as2.maxMessageBytes': 'a larger AS2 message is refused before its body is read',
  'transport.insecureAcceptAnyHostKey': 'true: accept any host key instead of hostKey (tests only)',
  'transport.password': 'the SFTP password, from an environment variable or a file',
  'transport.privateKey': 'the SSH private key (OpenSSH format), from an environment variable or a file',
  'transport.passphrase': 'the private key\'s passphrase, from an environment variable or a file',
  'transport.inbound.doneMarker': 'true: take FILE only once FILE.done exists (the marker is deleted after)',
  'transport.inbound.archive.action': 'after the file is stored: move it to folder, delete it, or leave it (then it is known by name, size and time)',
  'odoo.shipTo.createMissing': 'true: an unknown address becomes a new delivery or invoice address of the partner\'s contact',
  'odoo.prices.policy': '850 prices: edi (the EDI price), odoo (the pricelist\'s), reject (a price beyond the tolerance)',
  'odoo.prices.missing': 'a line without a price: list-price (Odoo prices it, and the posting says so) or reject',
  'odoo.confirmOrders': '850: confirm the sale order once created',
  'odoo.applyAckChanges': '855: apply quantity and date changes to the purchase order lines (else only recorded)',
  'odoo.validateReceipts': '856: validate the receipt (a backorder keeps what was not shipped)',
};

interface Row {
  key: string;
  form: string;
  required: boolean;
  fallback: unknown;
  description: string;
}

/** A value of the defaults tree at `path`, or undefined. */
function at(tree: unknown, path: readonly string[]): unknown {
  let node = tree;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** One row per key, depth first; a union's options each add their own keys, labelled. */
function rowsOf(schema: Schema, path: string[], defaults: unknown, label = ''): Row[] {
  const { inner } = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'union') {
    return (def.options ?? []).flatMap((option) => {
      const tag = defOf(defOf(option).shape?.['type'] ?? option).values?.[0];
      return rowsOf(option, path, defaults, tag !== undefined ? ` (${String(tag)})` : label);
    });
  }
  if (def.type !== 'object' || !def.shape) return [];
  return Object.entries(def.shape).flatMap(([key, child]) => {
    const keyPath = [...path, key];
    const { inner: childInner, optional } = unwrap(child);
    const childDef = defOf(childInner);
    const nested = childDef.type === 'object' || childDef.type === 'union';
    const own = (expected(childInner) ?? '').replace(/ \(a mapping with the keys [^)]*\)$/, '');
    // An enum's or a flag's message is its form again: say what the key does instead, where known.
    const repeatsForm = ['enum', 'boolean', 'literal'].includes(childDef.type) || childInner === secretRefSchema;
    const description = PARTNER_KEY_NOTES[keyPath.join('.').replace(/^defaults\./, '')] ?? (repeatsForm ? '' : own);
    // A section's default is that of its keys, shown on their rows.
    const row: Row = { key: keyPath.join('.') + label, form: nested ? 'mapping' : formOf(childInner), required: !optional, fallback: nested ? undefined : at(defaults, keyPath), description };
    return [row, ...(nested ? rowsOf(childInner, keyPath, defaults, label) : [])];
  });
}

/** The built-in defaults laid out as the partner file is (taken from defaults.ts and odoo/settings.ts). */
function partnerDefaults(): unknown {
  const { partner: _partner, ...odoo } = odooSettingsOf({ partner: { id: 1 } } as OdooPartnerFile);
  const { archiveSubfolder, ...inbound } = BUILT_IN.inbound;
  return {
    x12: BUILT_IN.x12,
    acknowledgments: BUILT_IN.acknowledgments,
    maxFileBytes: BUILT_IN.maxFileBytes,
    documents: { outbound: BUILT_IN.outboundDocuments },
    transport: {
      ...BUILT_IN.sftp,
      inbound: { ...inbound, archive: { folder: `<inbound folder>/${archiveSubfolder}` }, ...BUILT_IN.as2.inbound },
      outbound: { fileName: BUILT_IN.fileName, ...BUILT_IN.as2.outbound },
    },
    odoo,
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function shown(value: unknown): string {
  if (value === undefined) return '';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    // A built-in table (units, address fields) the partner's entries are added over.
    return entries.length ? `built-in table of ${entries.length} entries (yours are added over it)` : 'none';
  }
  return `\`${Array.isArray(value) ? JSON.stringify(value) : String(value)}\``;
}

function partnerTable(rows: readonly Row[]): string[] {
  return [
    '| Key | Form | Default | What it is |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.key}\` | ${cell(r.form)} | ${r.required ? 'required' : cell(shown(r.fallback)) || '-'} | ${cell(r.description) || '-'} |`),
  ];
}

export function renderConfigDoc(): string {
  const env = Object.entries(ENV_GROUPS).flatMap(([group, shape]) => [
    `### ${group}`,
    '',
    '| Variable | Form | Default | What it does |',
    '| --- | --- | --- | --- |',
    ...Object.entries(shape as Record<string, Schema>).map(([name, schema]) => {
      const { inner, fallback } = unwrap(schema);
      return `| \`${name}\` | ${cell(formOf(inner, true))} | ${fallback !== undefined ? `\`${String(fallback)}\`` : '-'} | ${cell(descriptionOf(schema) ?? '')} |`;
    }),
    '',
  ]);
  const defaults = partnerDefaults();
  return [
    '# Configuration reference',
    '',
    'Every environment variable the gateway reads and every key of a partner file, in one page.',
    'Generated from the zod schemas (`src/runtime/env-schema.ts`, `src/partners/schema.ts`) and the',
    'built-in defaults (`src/partners/defaults.ts`, `src/odoo/settings.ts`) by `npm run docs:config`;',
    'do not edit by hand. How to write a partner file, with examples: [partners/README.md](../partners/README.md).',
    '',
    '## Environment variables',
    '',
    'An empty value counts as unset. Secrets (marked so) never reach a log line; the partner files name',
    'their own secrets\' variables (`password: { env: ACME_SFTP_PASSWORD }`), which are not listed here.',
    '',
    ...env,
    '## Partner files: `partners/<code>.yaml`',
    '',
    'A key marked required must be there; any other key takes its default when absent (a default given',
    'under `defaults:` in `partners/_gateway.yaml` comes before the built-in one). `transport` takes the',
    'keys of its `type`: (sftp), (folder) or (as2). A key not listed here is an error that names the allowed keys.',
    'Relative certificate and key paths resolve against the partners folder.',
    '',
    ...partnerTable(rowsOf(partnerFileSchema, [], defaults)),
    '',
    '## Our identity and defaults: `partners/_gateway.yaml`',
    '',
    '`us` is our ISA and GS identity for every partner that does not give its own; `defaults` gives',
    'any partner the keys listed, below its own file and above the built-in defaults. `as2` is our AS2',
    'identity for every AS2 partner that gives none under `transport.us`.',
    '',
    ...partnerTable(rowsOf(gatewayFileSchema, [], { defaults, as2: { maxMessageBytes: BUILT_IN.as2.maxMessageBytes } })),
    '',
  ].join('\n');
}

/**
 * Built-in defaults whose place is no key of the partner file schema (a renamed or removed key):
 * test/runtime/config-doc.test.ts wants none, so every default shows in the reference.
 */
export function unplacedDefaults(): string[] {
  const rows = new Map(rowsOf(partnerFileSchema, [], {}).map((r) => [r.key.replace(/ \(\w+\)$/, ''), r]));
  const walk = (node: unknown, path: string[]): string[] => {
    const row = rows.get(path.join('.'));
    const plain = node !== null && typeof node === 'object' && !Array.isArray(node);
    if (path.length && (!plain || (row && row.form !== 'mapping'))) return row ? [] : [path.join('.')];
    return plain ? Object.entries(node).flatMap(([k, v]) => walk(v, [...path, k])) : [];
  };
  return walk(partnerDefaults(), []);
}

/** PARTNER_KEY_NOTES entries that name no key of the partner file schema. */
export function unplacedNotes(): string[] {
  const keys = new Set([...rowsOf(partnerFileSchema, [], {}), ...rowsOf(gatewayFileSchema, [], {})].map((r) => r.key.replace(/ \(\w+\)$/, '')));
  return Object.keys(PARTNER_KEY_NOTES).filter((key) => !keys.has(key));
}
