// edi partners: the partners configured in partners/*.yaml with their transport and health (from
// partner_health, written by the transports). edi partners check: every problem of every partner
// file, and every secret that cannot be read now; exit 1 when there is any.
import { loadPartners, type LoadResult } from '../../partners/load.js';
import { secretProblem, type Env } from '../../partners/secrets.js';
import type { Partner, PartnerTransport } from '../../partners/types.js';
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
}

export function partnersDir(opts: { partners?: string }, env: Env = process.env): string {
  return opts.partners ?? env.PARTNERS_DIR ?? 'partners';
}

function load(opts: PartnersOptions, env: Env): Promise<LoadResult> {
  return loadPartners(partnersDir(opts, env), env, { dataDir: opts.dataDir ?? 'data' });
}

/** `edi partners check`: 0 when every file is valid (and every secret readable), 1 otherwise. */
export async function partnersCheckCommand(opts: CheckOptions, io: Output, env: Env = process.env): Promise<number> {
  const dir = partnersDir(opts, env);
  const result = await load(opts, env);
  const problems = result.errors.map((e) => e.message);
  if (opts.secrets !== false) {
    for (const partner of result.partners.values()) problems.push(...secretProblems(partner));
  }
  if (opts.json) {
    io.out(JSON.stringify({ dir, partners: [...result.partners.keys()], problems }, null, 2));
  } else {
    for (const p of problems) io.err(p);
    if (result.missing) io.out(`${dir}: no such folder: no partner configured`);
    else if (problems.length === 0) io.out(`${dir}: ${result.partners.size} partner(s), no problem`);
    else io.out(`${dir}: ${problems.length} problem(s)`);
  }
  return problems.length ? EXIT.invalid : EXIT.valid;
}

/** A partner's secrets that cannot be read now (messages name the variable or file, never a value). */
export function secretProblems(partner: Partner): string[] {
  const t = partner.transport;
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
    io.out(JSON.stringify(partners.map((p) => ({ ...summary(p), health: healthOf(p) ?? null })), null, 2));
  } else if (partners.length === 0 && result.errors.length === 0) {
    io.out(result.missing ? `${dir}: no such folder: no partner configured` : `${dir}: no partner files`);
  } else {
    const rows = partners.map((p) => {
      const s = summary(p);
      const health = p.enabled !== false ? describeHealth(healthOf(p), db !== undefined) : 'disabled (enabled: false)';
      return [p.code, clip(p.name, 24), p.mode, s.transport, s.inbound ?? '-', s.outbound ?? '-', health];
    });
    for (const line of formatTable(['PARTNER', 'NAME', 'MODE', 'TRANSPORT', 'INBOUND', 'OUTBOUND', 'HEALTH'], rows)) io.out(line);
  }
  if (result.errors.length) {
    io.err(`${result.errors.length} problem(s) in ${dir}: partners with errors are not listed (edi partners check prints them)`);
    return EXIT.invalid;
  }
  return EXIT.valid;
}

function summary(p: Partner): { code: string; name: string; enabled: boolean; mode: string; transport: string; inbound?: string; outbound?: string; documents: Partner['documents'] } {
  return {
    code: p.code,
    name: p.name,
    enabled: p.enabled !== false,
    mode: p.mode,
    transport: transportText(p.transport),
    ...(p.transport.inbound ? { inbound: `${p.transport.inbound.folder} (${p.documents.inbound.join(',') || 'no sets'})` } : {}),
    ...(p.transport.outbound ? { outbound: `${p.transport.outbound.folder} (${p.documents.outbound.join(',') || 'no sets'})` } : {}),
    documents: p.documents,
  };
}

function transportText(t: PartnerTransport): string {
  if (t.type === 'folder') return 'folder';
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
