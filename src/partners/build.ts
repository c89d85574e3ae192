// One schema-valid partner file -> a Partner: defaults applied (defaults.ts < _gateway.yaml
// `defaults:` < the file), rules that span keys checked, local folders resolved, secrets wrapped
// (non-enumerable on the transport), everything deep-frozen.
import { dirname, isAbsolute, posix, resolve } from 'node:path';
import { buildAs2Transport, type Problem } from './as2-build.js';
import { configError, MISSING, pathText, valueAt, type KeyPath } from './config-error.js';
import { BUILT_IN } from './defaults.js';
import { defined } from './defined.js';
import { isUniquePattern } from './file-name.js';
import { parseRequired, requiredProblem } from './outbound-rules.js';
import type { GatewayFile, InboundFile, PartnerFile, SecretRef } from './schema.js';
import type { SetGuide } from '../x12/guide-types.js';
import { makeSecret, type Env } from './secrets.js';
import type {
  ArchivePolicy,
  ConfigError,
  FolderTransport,
  GatewayAs2,
  GatewaySettings,
  InboundMailbox,
  OutboundMailbox,
  OutboundSetRules,
  Partner,
  PartnerExpiry,
  PartnerTransport,
  PartyIdentity,
  SftpTransport,
} from './types.js';

export interface BuildInput {
  code: string;
  /** Absolute path of the partner file. */
  file: string;
  /** As shown in messages ('partners/acme.yaml'). */
  display: string;
  parsed: PartnerFile;
  raw: unknown;
  gateway: { settings: GatewayFile; display: string } | undefined;
  /** Relative local folders (folder transport) resolve against it. */
  dataDir: string;
  env: Env;
  lineOf?: (path: KeyPath) => number | undefined;
  /** The guides the file names, read and checked (guides.ts), by set id. */
  guides?: Readonly<Record<string, SetGuide>>;
  /** Our AS2 identity of partners/_gateway.yaml (built by load.ts), for AS2 partners without their own. */
  gatewayAs2?: GatewayAs2;
  /** Certificates' expiry is judged against it. Default: now. */
  now?: Date;
}

export function buildPartner(input: BuildInput): { partner?: Partner; errors: ConfigError[]; warnings: ConfigError[] } {
  const { parsed: p, display } = input;
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const problem = (path: KeyPath, expected: string, options: { found?: unknown; hint?: string } = {}) => {
    const line = input.lineOf?.(path);
    errors.push(
      configError({
        file: display, path, found: 'found' in options ? options.found : valueAt(input.raw, path), expected,
        ...(options.hint ? { hint: options.hint } : {}), ...(line ? { line } : {}),
      }),
    );
  };
  const defaults = input.gateway?.settings.defaults ?? {};
  const gatewayName = input.gateway?.display ?? 'partners/_gateway.yaml';

  const us = p.us ?? input.gateway?.settings.us;
  if (!us) problem(['us'], `our ISA and GS ids towards this partner, here or under us: in ${gatewayName}`, { found: MISSING });
  const mode = p.mode ?? defaults.mode;
  if (!mode) problem(['mode'], `production or test (here, or under defaults: in ${gatewayName})`, { found: MISSING });
  if (us && sameIsa(us, p.identity)) {
    problem(['identity', 'isa'], 'the partner\'s own ISA ids, which differ from ours (us.isa)');
  }

  const delimiters = { ...BUILT_IN.x12.delimiters, ...defined(defaults.x12?.delimiters), ...defined(p.x12?.delimiters) };
  const chars = Object.values(delimiters);
  if (new Set(chars).size !== chars.length) {
    problem(['x12', 'delimiters'], 'four different characters for element, component, repetition and segment', { found: delimiters });
  }
  const x12 = {
    version: p.x12?.version ?? defaults.x12?.version ?? BUILT_IN.x12.version,
    delimiters,
    lineBreak: p.x12?.lineBreak ?? defaults.x12?.lineBreak ?? BUILT_IN.x12.lineBreak,
  };
  const acknowledgments = { ...BUILT_IN.acknowledgments, ...defined(defaults.acknowledgments), ...defined(p.acknowledgments) };
  // Each usage setting is about the other kind of data than the partner's mode: given in the partner
  // file for the wrong mode, it would silently do nothing. From defaults: it applies where it fits.
  if (mode === 'test' && p.acknowledgments?.testData) {
    problem(['acknowledgments', 'testData'], 'no testData for a partner in test mode (it is for ISA15 = T from a production partner); productionData: reject refuses ISA15 = P here');
  }
  if (mode === 'production' && p.acknowledgments?.productionData) {
    problem(['acknowledgments', 'productionData'], 'no productionData for a partner in production mode (it is for ISA15 = P from a test partner); testData: reject refuses ISA15 = T here');
  }
  if (mode === 'test') delete (acknowledgments as { testData?: unknown }).testData;
  if (mode === 'production') delete (acknowledgments as { productionData?: unknown }).productionData;
  const outbound = [...new Set(p.documents.outbound ?? BUILT_IN.outboundDocuments)];
  const rules = p.documents.rules ? outboundRulesOf(p.documents.rules, outbound, x12.version, problem) : undefined;

  const warn = (path: KeyPath, message: string) => warnings.push(warning(display, path, message, input.lineOf?.(path)));
  const built = buildTransport(input, outbound, problem, warn);
  const transport = built?.transport;
  if (errors.length || !us || !mode || !transport) return { errors, warnings };

  const partner: Partner = {
    code: input.code,
    name: p.name ?? input.code,
    enabled: p.enabled ?? true,
    file: input.file,
    mode,
    identity: identityOf(p.identity),
    us: identityOf(us),
    x12,
    documents: { inbound: [...new Set(p.documents.inbound)], outbound, ...(rules ? { rules } : {}) },
    acknowledgments,
    maxFileBytes: p.maxFileBytes ?? defaults.maxFileBytes ?? BUILT_IN.maxFileBytes,
    transport,
    ...(p.odoo ? { odoo: p.odoo } : {}),
    ...(input.guides && Object.keys(input.guides).length ? { guides: input.guides } : {}),
    ...(p.alerts?.rules ? { alerts: { rules: p.alerts.rules } } : {}),
    ...expiriesOf(p, built.expiries),
  };
  return { partner: deepFreeze(partner), errors, warnings };
}

/** A warning about a file ('partners/bigbox.yaml: transport.certificate: ...'): the partner loads all the same. */
export function warning(file: string, path: KeyPath, message: string, line?: number): ConfigError {
  const key = pathText(path);
  return { file, path: key, message: `${file}: ${key ? `${key}: ` : ''}WARNING: ${message}${line ? ` [line ${line}]` : ''}`, ...(line ? { line } : {}) };
}

/** What the file dates: its secrets' `expires:`, alerts.expiring and the AS2 certificates (alert rule `expiring`). */
function expiriesOf(p: PartnerFile, certificates: readonly PartnerExpiry[]): { expiries?: PartnerExpiry[] } {
  const t = p.transport;
  const expiries: PartnerExpiry[] = [...certificates];
  if (t.type === 'sftp') {
    for (const key of ['password', 'privateKey', 'passphrase'] as const) {
      const expires = (t[key] as SecretRef | undefined)?.expires;
      if (expires) expiries.push({ name: `transport.${key}`, expires });
    }
  }
  for (const e of p.alerts?.expiring ?? []) expiries.push({ name: e.name, expires: e.expires });
  return expiries.length ? { expiries } : {};
}

/** documents.rules: only for sets we send, a hierarchy only for the 856, required elements that our spec of the set has. */
function outboundRulesOf(given: NonNullable<PartnerFile['documents']['rules']>, outbound: readonly string[], version: '004010' | '005010', problem: Problem): Record<string, OutboundSetRules> {
  const rules: Record<string, OutboundSetRules> = {};
  for (const [setId, rule] of Object.entries(given)) {
    const at = ['documents', 'rules', setId];
    if (!outbound.includes(setId)) {
      problem(at, `settings only for a set listed in documents.outbound (${outbound.length ? outbound.map((s) => `'${s}'`).join(', ') : 'none is'})`);
      continue;
    }
    if (rule.hierarchy !== undefined && setId !== '856') problem([...at, 'hierarchy'], "no hierarchy here: only the '856' has one (SOPI, SOI or auto)");
    const require = (rule.require ?? []).map(parseRequired);
    require.forEach((r, i) => {
      const why = requiredProblem(r, setId, rule.version ?? version);
      if (why) problem([...at, 'require', i], why);
    });
    rules[setId] = { ...(rule.version ? { version: rule.version } : {}), ...(rule.hierarchy ? { hierarchy: rule.hierarchy } : {}), require };
  }
  return rules;
}

function buildTransport(input: BuildInput, outboundSets: readonly string[], problem: Problem, warn: (path: KeyPath, message: string) => void): { transport?: PartnerTransport; expiries: PartnerExpiry[] } | undefined {
  const t = input.parsed.transport;
  if (t.type === 'as2') {
    const gateway = { ...(input.gatewayAs2 ? { as2: input.gatewayAs2 } : {}), display: input.gateway?.display ?? 'partners/_gateway.yaml' };
    return buildAs2Transport(t, outboundSets, gateway, { display: input.display, baseDir: dirname(input.file), env: input.env, now: input.now ?? new Date(), problem, warn });
  }
  const transport = buildMailboxTransport(input, t, problem);
  return transport ? { transport, expiries: [] } : undefined;
}

function buildMailboxTransport(input: BuildInput, t: Exclude<PartnerFile['transport'], { type: 'as2' }>, problem: Problem): PartnerTransport | undefined {
  const local = t.type === 'folder';
  // Local folders resolve against the data dir; SFTP folders are the server's paths, kept as given.
  const place = (folder: string) => (local ? (isAbsolute(folder) ? resolve(folder) : resolve(input.dataDir, folder)) : folder);
  if (!t.inbound && !t.outbound) {
    problem(['transport', 'inbound'], 'an inbound or an outbound mailbox (or both)', { found: MISSING });
  }
  const inbound = t.inbound ? inboundOf(t.inbound, place, local, problem) : undefined;
  const outbound = t.outbound ? outboundOf(t.outbound, place, problem) : undefined;

  if (t.type === 'folder') {
    const folderTransport: FolderTransport = { type: 'folder', ...(inbound ? { inbound } : {}), ...(outbound ? { outbound } : {}) };
    return folderTransport;
  }

  if (!t.hostKey && t.insecureAcceptAnyHostKey !== true) {
    problem(['transport', 'hostKey'], 'the SHA256 fingerprint of the server\'s host key, like SHA256:base64', {
      found: MISSING, hint: 'ssh-keyscan HOST | ssh-keygen -lf - prints it; insecureAcceptAnyHostKey: true exists for tests only',
    });
  }
  if (t.hostKey && t.insecureAcceptAnyHostKey === true) {
    problem(['transport', 'insecureAcceptAnyHostKey'], 'false or nothing when hostKey is pinned (the opt-out is for tests only)');
  }
  if (!t.password && !t.privateKey) {
    problem(['transport', 'password'], 'password: { env: NAME } or privateKey: { file: /path } (at least one of them)', { found: MISSING });
  }
  if (t.passphrase && !t.privateKey) {
    problem(['transport', 'passphrase'], 'a passphrase only together with privateKey');
  }
  const sftp = {
    type: 'sftp' as const,
    host: t.host,
    port: t.port ?? BUILT_IN.sftp.port,
    username: t.username,
    ...(t.hostKey ? { hostKey: t.hostKey.replace(/=$/, '') } : {}),
    insecureAcceptAnyHostKey: t.insecureAcceptAnyHostKey ?? false,
    connectTimeoutSeconds: t.connectTimeoutSeconds ?? BUILT_IN.sftp.connectTimeoutSeconds,
    timeoutSeconds: t.timeoutSeconds ?? BUILT_IN.sftp.timeoutSeconds,
    ...(inbound ? { inbound } : {}),
    ...(outbound ? { outbound } : {}),
  } satisfies SftpTransport as SftpTransport;
  // Secrets: non-enumerable, so logging or serializing the partner shows none of them.
  const baseDir = dirname(input.file);
  for (const key of ['password', 'privateKey', 'passphrase'] as const) {
    const ref = t[key] as SecretRef | undefined;
    if (!ref) continue;
    const secret = makeSecret(ref, { where: `${input.display}: transport.${key}`, env: input.env, baseDir });
    Object.defineProperty(sftp, key, { value: secret, enumerable: false });
  }
  return sftp;
}

function inboundOf(i: InboundFile, place: (folder: string) => string, local: boolean, problem: Problem): InboundMailbox {
  const folder = place(i.folder);
  let archive: ArchivePolicy = { action: 'move', folder: join(local, folder, BUILT_IN.inbound.archiveSubfolder) };
  if (i.archive) {
    if (i.archive.action === 'move') {
      archive = { action: 'move', folder: i.archive.folder ? place(i.archive.folder) : archive.folder };
      if (archive.folder === folder) {
        problem(['transport', 'inbound', 'archive', 'folder'], 'a folder other than the inbound folder itself (files would be taken again)');
      }
    } else {
      if (i.archive.folder) problem(['transport', 'inbound', 'archive', 'folder'], `no folder with action: ${i.archive.action}`);
      archive = { action: i.archive.action };
    }
  }
  return {
    folder,
    patterns: i.patterns ?? [...BUILT_IN.inbound.patterns],
    ignore: i.ignore ?? [...BUILT_IN.inbound.ignore],
    pollSeconds: i.pollSeconds ?? BUILT_IN.inbound.pollSeconds,
    stableSeconds: i.stableSeconds ?? BUILT_IN.inbound.stableSeconds,
    doneMarker: i.doneMarker ?? BUILT_IN.inbound.doneMarker,
    archive,
  };
}

function outboundOf(o: { folder: string; fileName?: string | undefined }, place: (folder: string) => string, problem: Problem): OutboundMailbox {
  const fileName = o.fileName ?? BUILT_IN.fileName;
  if (!isUniquePattern(fileName)) {
    problem(['transport', 'outbound', 'fileName'], 'a pattern with {control}, {timestamp} or {uuid}, so that two files never get the same name');
  }
  return { folder: place(o.folder), fileName };
}

function join(local: boolean, folder: string, sub: string): string {
  return local ? resolve(folder, sub) : posix.join(folder, sub);
}

function identityOf(i: { isa: { qualifier: string; id: string }; gs: string }): PartyIdentity {
  return { isa: { qualifier: i.isa.qualifier, id: i.isa.id }, gs: i.gs };
}

function sameIsa(a: { isa: { qualifier: string; id: string } }, b: { isa: { qualifier: string; id: string } }): boolean {
  return a.isa.qualifier === b.isa.qualifier && a.isa.id === b.isa.id;
}

/** Our identity and defaults as the directory shows them. */
export function gatewaySettingsOf(settings: GatewayFile | undefined, file: string | undefined, as2?: GatewayAs2): GatewaySettings {
  return deepFreeze({
    ...(file ? { file } : {}), ...(settings?.us ? { us: identityOf(settings.us) } : {}), ...(settings?.alerts ? { alerts: settings.alerts } : {}), ...(as2 ? { as2 } : {}),
  });
}


/** Freezes an object and everything reachable from its own properties (non-enumerable ones too). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}
