// edi partners: the partners configured in partners/*.yaml with their transport and health (from
// partner_health, written by the transports), and the partners whose file has problems (out of
// service). edi partners check: every problem of every partner file, and every secret of an enabled
// partner that cannot be read now (a disabled one is checked for form only); exit 1 when there is
// any. --connect CODE: connection-check.ts.
import { loadPartners, type LoadResult } from '../../partners/load.js';
import { secretProblem, type Env } from '../../partners/secrets.js';
import type { BrokenPartner, Partner, PartnerTransport } from '../../partners/types.js';
import { as2Steps } from '../../transports/as2-check.js';
import { expiringWarnDays } from '../../alerts/config.js';
import { checkConnection, type CheckOutcome } from '../../transports/connection-check.js';
import { listPartnerHealth, type Database, type PartnerHealthRecord } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { clip, formatTable } from '../table.js';
import type { Output } from './inspect.js';

export interface PartnersOptions {
  /** The partners folder. Default: PARTNERS_DIR, else ./partners. */
  partners?: string;
  /** Relative local folders resolve against it. Default: data. */
  dataDir?: string;
  json?: boolean;
}

export interface CheckOptions extends PartnersOptions {
  /** false: do not try to read the secrets (a machine without them). Default true. */
  secrets?: boolean;
  /** Certificates' expiry is judged against it (tests). Default: now. */
  now?: Date;
}

export function partnersDir(opts: { partners?: string }, env: Env = process.env): string {
  return opts.partners ?? env.PARTNERS_DIR ?? 'partners';
}

function load(opts: PartnersOptions & { now?: Date }, env: Env): Promise<LoadResult> {
  return loadPartners(partnersDir(opts, env), env, { dataDir: opts.dataDir ?? 'data', ...(opts.now ? { now: opts.now } : {}) });
}

/**
 * `edi partners check`: 0 when every file is valid (and every secret of an enabled partner
 * readable), 1 otherwise. A disabled partner (enabled: false, like the shipped examples) is checked
 * for form only: its secrets need not exist yet on this machine.
 */
export async function partnersCheckCommand(opts: CheckOptions, io: Output, env: Env = process.env): Promise<number> {
  const dir = partnersDir(opts, env);
  const result = await load(opts, env);
  const problems = result.errors.map((e) => e.message);
  const all = [...result.partners.values()];
  const disabled = all.filter((p) => p.enabled === false).map((p) => p.code);
  if (opts.secrets !== false) {
    for (const partner of all) if (partner.enabled !== false) problems.push(...secretProblems(partner));
  }
  const warnings = result.warnings.map((w) => w.message);
  // AS2 partners: certificates (expiry), our key (unless secrets are not read, or the partner is disabled), URLs.
  const now = opts.now ?? new Date();
  const as2 = all.filter((p) => p.transport.type === 'as2').map((p) => {
    const warnDays = expiringWarnDays(result.gateway.alerts?.rules, p);
    return { partner: p.code, steps: as2Steps(p, now, { keys: opts.secrets !== false && p.enabled !== false, ...(warnDays !== undefined ? { warnDays } : {}) }) };
  });
  if (opts.json) {
    io.out(JSON.stringify({ dir, partners: [...result.partners.keys()], disabled, outOfService: result.broken.map((b) => b.code), problems, warnings, as2 }, null, 2));
  } else {
    for (const p of problems) io.err(p);
    for (const w of warnings) io.err(w);
    for (const a of as2) {
      const width = Math.max(...a.steps.map((s) => s.what.length));
      io.out(`${a.partner}: ${transportText(result.partners.get(a.partner)!.transport)}`);
      for (const s of a.steps) io.out(`  ${(s.ok ? (s.soon ? 'SOON' : 'ok') : s.kind === 'certificate' ? 'EXPIRED' : 'FAIL').padEnd(7)}  ${s.what.padEnd(width)}  ${s.detail}`);
    }
    if (result.missing) io.out(`${dir}: no such folder: no partner configured`);
    else if (problems.length === 0) io.out(`${dir}: ${result.partners.size} partner(s), no problem`);
    else io.out(`${dir}: ${problems.length} problem(s)${result.broken.length ? `; out of service until fixed: ${result.broken.map((b) => b.code).join(', ')}` : ''}`);
    if (disabled.length) io.out(`disabled (enabled: false), checked for form only (secrets not read): ${disabled.join(', ')}`);
  }
  return problems.length ? EXIT.invalid : EXIT.valid;
}

const EXIT_OF_OUTCOME: Record<CheckOutcome, number> = { ok: EXIT.valid, folders: EXIT.invalid, certificates: EXIT.invalid, 'host-key': EXIT.hostKey, login: EXIT.login, unreachable: EXIT.unreachable };

/**
 * `edi partners check --connect CODE`: the partner's connection tried as the transports use it
 * (host key, login, folders, a temporary file written and removed), whether or not it is enabled.
 * Exit 0 all well, 1 a folder check failed (or the file has problems), 3 no such partner, 4 host
 * key not the pinned one (its SHA256 printed), 5 login refused or secret unreadable, 6 unreachable.
 */
export async function partnersConnectCommand(code: string, opts: PartnersOptions & { connectTimeoutMs?: number; now?: Date }, io: Output, env: Env = process.env): Promise<number> {
  const dir = partnersDir(opts, env);
  const result = await load(opts, env);
  const broken = result.broken.find((b) => b.code === code);
  const partner = result.partners.get(code);
  if (!partner) {
    if (broken) {
      for (const e of broken.errors) io.err(e.message);
      io.err(`${code}: ${broken.display} has ${broken.errors.length} problem(s): fix them first`);
      return EXIT.invalid;
    }
    io.err(`${code}: no such partner in ${dir} (${[...result.partners.keys()].join(', ') || 'none configured'})`);
    return EXIT.notFound;
  }
  const report = await checkConnection(partner, { ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}), ...(opts.now ? { now: opts.now } : {}) });
  if (opts.json) {
    io.out(JSON.stringify({ partner: code, transport: transportText(partner.transport), ...report }, null, 2));
  } else {
    io.out(`${code}: ${transportText(partner.transport)}${partner.enabled === false ? ' (disabled: tried all the same)' : ''}`);
    const width = Math.max(...report.steps.map((s) => s.what.length));
    for (const s of report.steps) io.out(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.what.padEnd(width)}  ${s.detail}`);
    const failed = report.steps.filter((s) => !s.ok).length;
    io.out(report.outcome === 'ok' ? `${code}: the connection works` : `${code}: ${failed} check(s) failed (${report.outcome})`);
  }
  return EXIT_OF_OUTCOME[report.outcome];
}

/** A partner's secrets that cannot be read now (messages name the variable or file, never a value). */
export function secretProblems(partner: Partner): string[] {
  const t = partner.transport;
  // AS2: our key read now and matched against our certificate (as2-check.ts).
  if (t.type === 'as2') return as2Steps(partner, new Date()).filter((s) => s.kind === 'key').map((s) => s.detail);
  if (t.type !== 'sftp') return [];
  const out: string[] = [];
  for (const secret of [t.password, t.privateKey, t.passphrase]) {
    const problem = secret && secretProblem(secret);
    if (problem) out.push(problem);
  }
  return out;
}

/** `edi partners`: one line per partner; health when a database is given. */
export async function partnersListCommand(opts: PartnersOptions, io: Output, db: Database | undefined, env: Env = process.env): Promise<number> {
  const dir = partnersDir(opts, env);
  const result = await load(opts, env);
  const health = db ? await listPartnerHealth(db) : [];
  const healthOf = (p: Partner) => health.find((h) => h.partner === p.code && h.transport === p.transport.type);
  const partners = [...result.partners.values()].sort((a, b) => a.code.localeCompare(b.code));

  if (opts.json) {
    const listed = [
      ...partners.map((p) => ({ ...summary(p), health: healthOf(p) ?? null })),
      ...result.broken.map((b) => ({ code: b.code, file: b.display, outOfService: true, problems: b.errors.map((e) => e.message) })),
    ].sort((a, b) => a.code.localeCompare(b.code));
    io.out(JSON.stringify(listed, null, 2));
  } else if (partners.length === 0 && result.errors.length === 0) {
    io.out(result.missing ? `${dir}: no such folder: no partner configured` : `${dir}: no partner files`);
  } else {
    const rows = partners.map((p) => {
      const s = summary(p);
      const health = p.enabled !== false ? describeHealth(healthOf(p), db !== undefined) : 'disabled (enabled: false)';
      return [p.code, clip(p.name, 24), p.mode, s.transport, s.inbound ?? '-', s.outbound ?? '-', health];
    });
    rows.push(...result.broken.map((b) => [b.code, '-', '-', '-', '-', '-', outOfServiceText(b)]));
    rows.sort((a, b) => a[0]!.localeCompare(b[0]!));
    for (const line of formatTable(['PARTNER', 'NAME', 'MODE', 'TRANSPORT', 'INBOUND', 'OUTBOUND', 'HEALTH'], rows)) io.out(line);
  }
  if (result.errors.length) {
    const fatal = result.fatal.length ? `; ${result.fatal.length} in the gateway's own settings: the gateway does not start` : '';
    io.err(`${result.errors.length} problem(s) in ${dir}${fatal}; a partner whose file has a problem is OUT OF SERVICE (edi partners check prints every problem)`);
    return EXIT.invalid;
  }
  return EXIT.valid;
}

/** The HEALTH of a partner whose file has problems: out of service, and the first problem (file, key, rule). */
export function outOfServiceText(b: BrokenPartner): string {
  const more = b.errors.length > 1 ? ` (+${b.errors.length - 1} more)` : '';
  return `OUT OF SERVICE: ${clip(b.errors[0]?.message ?? `${b.display} has a problem`, 100)}${more}`;
}

function summary(p: Partner): { code: string; name: string; enabled: boolean; mode: string; transport: string; inbound?: string; outbound?: string; documents: Partner['documents'] } {
  return {
    code: p.code,
    name: p.name,
    enabled: p.enabled !== false,
    mode: p.mode,
    transport: transportText(p.transport),
    ...mailboxTexts(p),
    documents: p.documents,
  };
}

/** Where the partner's files come from and go to: folders, or AS2 ids and URL. */
function mailboxTexts(p: Partner): { inbound?: string; outbound?: string } {
  const sets = (list: readonly string[]) => `(${list.join(',') || 'no sets'})`;
  const t = p.transport;
  if (t.type === 'as2') {
    return { inbound: `AS2 from ${t.as2Id} ${sets(p.documents.inbound)}`, ...(t.url ? { outbound: `${t.url} ${sets(p.documents.outbound)}` } : {}) };
  }
  return {
    ...(t.inbound ? { inbound: `${t.inbound.folder} ${sets(p.documents.inbound)}` } : {}),
    ...(t.outbound ? { outbound: `${t.outbound.folder} ${sets(p.documents.outbound)}` } : {}),
  };
}

function transportText(t: PartnerTransport): string {
  if (t.type === 'folder') return 'folder';
  if (t.type === 'as2') return `as2 ${t.as2Id} <-> ${t.ourKeys.id}`;
  return `sftp ${t.username}@${t.host}${t.port === 22 ? '' : `:${t.port}`}${t.insecureAcceptAnyHostKey ? ' (ANY HOST KEY)' : ''}`;
}

export function describeHealth(h: PartnerHealthRecord | undefined, known: boolean, now = new Date()): string {
  if (!known) return '(no database)';
  if (!h) return 'not polled yet';
  if (h.consecutiveFailures === 0) return h.lastSuccess ? `ok (${ago(h.lastSuccess, now)})` : 'ok';
  const next = h.nextAttemptAt && h.nextAttemptAt > now ? `, next try in ${Math.ceil((h.nextAttemptAt.getTime() - now.getTime()) / 1000)} s` : '';
  return `FAILING x${h.consecutiveFailures}: ${clip(h.lastError ?? 'unknown error', 60)}${next}${h.lastSuccess ? `; last ok ${ago(h.lastSuccess, now)}` : ''}`;
}

function ago(at: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return at.toISOString().slice(0, 16).replace('T', ' ');
}
