// The alert rules as data: each one's defaults (threshold in its unit, period, repeat) and what it
// asks the store or the partner files for. Meanings and defaults are documented in docs/alerts.md#rules;
// a partner file may override any of them for that partner (alerts.rules).
import type { AlertRuleId } from '../partners/alerts-schema.js';
import type { PartnerDirectory } from '../partners/types.js';
import { daysUntil } from '../partners/expiry.js';
import { listAs2MdnProblems, type As2MdnProblem } from '../store/as2-repo.js';
import {
  listInvoiceMismatches, listOrdersWithoutAck, listOverdueForAlerts, listPartnerHealth, listShipmentsWithoutNotice, listWaitingForAlerts, type Conn,
} from '../store/index.js';

/** One thing a rule found open; `key` identifies it across evaluations (never listed twice in a row). */
export interface AlertItem {
  key: string;
  partner: string | null;
  /** One line for a person, without the link. */
  summary: string;
  /** The console page that shows it: /documents/12, /sent/7, /partners, /. */
  path: string;
  /** Since when it is open, where known. */
  since?: Date;
}

export interface CollectContext {
  db: Conn;
  partners: PartnerDirectory;
  now: Date;
  /** The rule's settings for a partner (its own overrides, else the gateway's, else the defaults). */
  settings(partner: string | null): { enabled: boolean; threshold: number };
}

export interface RuleDefinition {
  /** What the rule watches, as a digest's title says it: `3 ${title}`. */
  title: string;
  /** The threshold's unit. */
  unit: 'minutes' | 'failures' | 'hours' | 'days' | 'none';
  threshold: number;
  periodMinutes: number;
  repeatHours: number;
  collect(ctx: CollectContext): Promise<AlertItem[]>;
}

/** At most this many rows per rule and evaluation: the oldest, that is the most overdue. */
export const ROWS_PER_RULE = 500;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const RULES: Readonly<Record<AlertRuleId, RuleDefinition>> = {
  'waiting-for-person': {
    title: 'documents waiting for a person', unit: 'minutes', threshold: 30, periodMinutes: 60, repeatHours: 24,
    async collect(ctx) {
      return (await listWaitingForAlerts(ctx.db, ROWS_PER_RULE))
        .filter((d) => open(ctx, d.partner, ctx.now.getTime() - d.updatedAt.getTime(), MINUTE))
        .map((d) => ({
          key: `document:${d.id}`, partner: d.partner, path: `/documents/${d.id}`, since: d.updatedAt,
          summary: `${d.partner} ${d.setId}${d.number ? ` ${d.number}` : ''} ${d.state} for ${age(ctx.now, d.updatedAt)}${d.reason ? `: ${clip(d.reason)}` : ''}`,
        }));
    },
  },
  'partner-failing': {
    title: 'partners whose polls or deliveries keep failing', unit: 'failures', threshold: 3, periodMinutes: 60, repeatHours: 24,
    async collect(ctx) {
      return (await listPartnerHealth(ctx.db))
        .filter((h) => h.consecutiveFailures > 0 && ctx.settings(h.partner).enabled && h.consecutiveFailures >= Math.max(1, ctx.settings(h.partner).threshold))
        .map((h) => ({
          key: `health:${h.partner}:${h.transport}`, partner: h.partner, path: '/partners', ...(h.lastErrorAt ? { since: h.lastErrorAt } : {}),
          summary: `${h.partner} ${h.transport}: ${h.consecutiveFailures} failures in a row${h.lastSuccess ? `, last success ${stamp(h.lastSuccess)}` : ', no success yet'}${h.lastError ? `: ${clip(h.lastError)}` : ''}`,
        }));
    },
  },
  'partner-broken': {
    title: 'partner files with problems (out of service)', unit: 'none', threshold: 0, periodMinutes: 60, repeatHours: 24,
    async collect(ctx) {
      return (ctx.partners.broken?.() ?? [])
        .filter((b) => ctx.settings(b.code).enabled)
        .map((b) => ({
          // A new problem in the file is a new item.
          key: `broken:${b.code}:${b.errors.map((e) => e.path).join(',')}`, partner: b.code, path: '/partners',
          summary: `${b.display}: ${b.errors.length} problem(s), the partner is out of service: ${clip(b.errors[0]?.message ?? '')}`,
        }));
    },
  },
  'ack-overdue': {
    title: 'acknowledgments overdue', unit: 'hours', threshold: 0, periodMinutes: 60, repeatHours: 24,
    async collect(ctx) {
      return (await listOverdueForAlerts(ctx.db, ROWS_PER_RULE))
        .filter((o) => open(ctx, o.partner, o.ackDueAt ? ctx.now.getTime() - o.ackDueAt.getTime() : Infinity, HOUR))
        .map((o) => ({
          key: `sent:${o.id}`, partner: o.partner, path: `/sent/${o.id}`, ...(o.ackDueAt ? { since: o.ackDueAt } : {}),
          summary: `${o.partner} ${o.setId} for ${o.sourceName ?? `${o.sourceModel}`}: no 997/999 ${o.ackDueAt ? `since it was due ${stamp(o.ackDueAt)} (${age(ctx.now, o.ackDueAt)} ago)` : 'in time'}`,
        }));
    },
  },
  'as2-mdn': {
    title: 'AS2 messages without a good MDN', unit: 'hours', threshold: 0, periodMinutes: 60, repeatHours: 24,
    async collect(ctx) {
      return (await listAs2MdnProblems(ctx.db, ROWS_PER_RULE))
        .filter((m) => open(ctx, m.partner, ctx.now.getTime() - m.updatedAt.getTime(), HOUR))
        .map((m) => ({
          // A new state of the same message (overdue, then refused) is a new item.
          key: `as2:${m.id}:${m.direction === 'in' ? 'mdn-failed' : m.state}`, partner: m.partner, path: `/as2-messages/${m.id}`, since: m.updatedAt,
          summary: as2MdnSummary(ctx.now, m),
        }));
    },
  },
  'order-without-855': {
    title: 'purchase orders (850) without their acknowledgment (855)', unit: 'hours', threshold: 24, periodMinutes: 60, repeatHours: 24,
    async collect(ctx) {
      // Only partners we send 855s to: for the others no 855 is promised.
      return (await listOrdersWithoutAck(ctx.db, new Date(ctx.now.getTime() - minThreshold(ctx) * HOUR), ROWS_PER_RULE))
        .filter((o) => ctx.partners.get(o.partner)?.documents.outbound.includes('855') && open(ctx, o.partner, ctx.now.getTime() - o.createdAt.getTime(), HOUR))
        .map((o) => ({
          key: `document:${o.id}`, partner: o.partner, path: `/documents/${o.id}`, since: o.createdAt,
          summary: `${o.partner} PO ${o.poNumber} received ${stamp(o.createdAt)}: no 855 sent after ${age(ctx.now, o.createdAt)}`,
        }));
    },
  },
  'shipped-without-856': {
    title: 'shipped orders without their ship notice (856)', unit: 'hours', threshold: 4, periodMinutes: 60, repeatHours: 24,
    async collect(ctx) {
      return (await listShipmentsWithoutNotice(ctx.db, new Date(ctx.now.getTime() - minThreshold(ctx) * HOUR), ROWS_PER_RULE))
        .filter((s) => open(ctx, s.partner, ctx.now.getTime() - s.createdAt.getTime(), HOUR))
        .map((s) => ({
          key: `sent:${s.id}`, partner: s.partner, path: `/sent/${s.id}`, since: s.createdAt,
          summary: `${s.partner} shipment ${s.sourceName ?? `#${s.id}`}${s.poNumber ? ` (PO ${s.poNumber})` : ''} shipped ${stamp(s.createdAt)}: 856 ${s.state}, not sent after ${age(ctx.now, s.createdAt)}${s.reason ? `: ${clip(s.reason)}` : ''}`,
        }));
    },
  },
  'invoice-mismatch': {
    title: 'invoices (810) whose three-way match failed', unit: 'hours', threshold: 0, periodMinutes: 60, repeatHours: 72,
    async collect(ctx) {
      return (await listInvoiceMismatches(ctx.db, ROWS_PER_RULE))
        .filter((i) => open(ctx, i.partner, ctx.now.getTime() - i.updatedAt.getTime(), HOUR))
        .map((i) => ({
          key: `document:${i.id}`, partner: i.partner, path: `/documents/${i.id}`, since: i.updatedAt,
          summary: `${i.partner} invoice ${i.number ?? `#${i.id}`}${i.poNumber ? ` for PO ${i.poNumber}` : ''}: ${i.mismatches} mismatch(es) with the PO or the receipts, the draft bill waits in Odoo`,
        }));
    },
  },
  expiring: {
    title: 'keys, passwords and certificates expiring', unit: 'days', threshold: 30, periodMinutes: 24 * 60, repeatHours: 24 * 7,
    async collect(ctx) {
      const items: AlertItem[] = [];
      for (const p of ctx.partners.all()) {
        const s = ctx.settings(p.code);
        // A disabled partner (enabled: false) uses none of its keys yet.
        if (!s.enabled || p.enabled === false) continue;
        for (const e of p.expiries ?? []) {
          const at = new Date(`${e.expires}T00:00:00Z`);
          const days = daysUntil(e.expires, ctx.now);
          if (days > s.threshold) continue;
          items.push({
            key: `expiry:${p.code}:${e.name}:${e.expires}`, partner: p.code, path: '/partners', since: at,
            summary: days < 0 ? `${p.code} ${e.name} expired on ${e.expires}` : `${p.code} ${e.name} expires on ${e.expires} (in ${days} day${days === 1 ? '' : 's'})`,
          });
        }
      }
      return items;
    },
  },
};

/** One line for an AS2 message without a good MDN. */
function as2MdnSummary(now: Date, m: As2MdnProblem): string {
  const who = m.partner ?? `AS2 id ${m.from}`;
  if (m.direction === 'in') return `${who}: the asynchronous MDN we owe for Message-ID ${m.messageId} could not be sent${m.reason ? `: ${clip(m.reason)}` : ''}`;
  if (m.state === 'mdn-overdue') return `${who}: no MDN for Message-ID ${m.messageId}${m.mdnDueAt ? ` since it was due ${stamp(m.mdnDueAt)} (${age(now, m.mdnDueAt)} ago)` : ' in time'}`;
  return `${who}: refused Message-ID ${m.messageId}${m.reason ? `: ${clip(m.reason)}` : ''}`;
}

/** Open past the partner's threshold (in `unit` ms), and the rule not turned off for the partner. */
function open(ctx: CollectContext, partner: string | null, elapsedMs: number, unit: number): boolean {
  const s = ctx.settings(partner);
  return s.enabled && elapsedMs >= s.threshold * unit;
}

/** The smallest threshold any partner has: what the store is asked for, each partner's filtered after. */
function minThreshold(ctx: CollectContext): number {
  return Math.min(ctx.settings(null).threshold, ...ctx.partners.all().map((p) => ctx.settings(p.code).threshold));
}

export function stamp(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** '2 h 5 min', '3 days': how long, for a person. */
export function age(now: Date, since: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(minutes / (24 * 60))} days`;
}

function clip(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
