// A digest as people read it: one message per rule listing what is new, each with a link to the
// console page that shows it. Pure: the same digest gives the same text, webhook JSON and e-mail.
import type { AlertRuleId } from '../partners/alerts-schema.js';
import type { AlertItem } from './rules.js';
import { RULES } from './rules.js';

/** At most this many items are written out in one message; the rest are counted and linked. */
export const ITEMS_PER_MESSAGE = 50;

export interface Digest {
  rule: AlertRuleId;
  items: AlertItem[];
  /** Items still open that an earlier digest listed (not repeated before the repeat period). */
  stillOpen: number;
}

export interface RenderedAlert {
  rule: AlertRuleId;
  partner: string | null;
  summary: string;
  link: string;
  since: string | null;
}

export interface Message {
  subject: string;
  /** Plain text; Slack-style incoming webhooks show it as the message. */
  text: string;
  alerts: RenderedAlert[];
}

/** Where the rule's items are listed as a whole (the "and N more" link). */
const LIST_PAGE: Record<AlertRuleId, string> = {
  'waiting-for-person': '/documents?state=rejected,failed',
  'partner-failing': '/partners',
  'partner-broken': '/partners',
  'ack-overdue': '/',
  'as2-mdn': '/as2-messages',
  'order-without-855': '/documents?set=850',
  'shipped-without-856': '/',
  'invoice-mismatch': '/documents?set=810&state=posted',
  expiring: '/partners',
};

export function linkTo(consoleUrl: string | undefined, path: string): string {
  return consoleUrl ? `${consoleUrl}${path}` : path;
}

export function renderDigest(d: Digest, consoleUrl?: string): Message {
  const rule = RULES[d.rule];
  const alerts = d.items.map((i): RenderedAlert => ({ rule: d.rule, partner: i.partner, summary: i.summary, link: linkTo(consoleUrl, i.path), since: i.since?.toISOString() ?? null }));
  const subject = `[EDI] ${d.items.length} new: ${rule.title}`;
  const shown = alerts.slice(0, ITEMS_PER_MESSAGE).map((a) => `• ${a.summary}\n  ${a.link}`);
  const more = alerts.length > ITEMS_PER_MESSAGE ? [`… and ${alerts.length - ITEMS_PER_MESSAGE} more: ${linkTo(consoleUrl, LIST_PAGE[d.rule])}`] : [];
  const open = d.stillOpen ? [`(${d.stillOpen} listed before ${d.stillOpen === 1 ? 'is' : 'are'} still open.)`] : [];
  const text = [`EDI gateway: ${d.items.length} new ${rule.title} (rule ${d.rule})`, ...shown, ...more, ...open, `Console: ${linkTo(consoleUrl, '/')}`].join('\n');
  return { subject, text, alerts };
}

/** What `edi alerts test` sends. */
export function testMessage(consoleUrl: string | undefined, now: Date): Message {
  return {
    subject: '[EDI] test message',
    text: `EDI gateway: a test message (edi alerts test, ${now.toISOString()}): alerts reach this channel.\nConsole: ${linkTo(consoleUrl, '/')}`,
    alerts: [],
  };
}
