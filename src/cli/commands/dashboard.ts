// edi dashboard: the console's dashboard at a terminal (or --json): documents received by partner and
// state today and in the last 7 days, what waits for a person (longest first), partner health,
// acknowledgments overdue, failed deliveries. The same reads as the page (src/store/dashboard-repo.ts).
import { listPartnerHealth, readDashboard, type Conn } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { clip, formatTable, timestamp } from '../table.js';
import type { Output } from './inspect.js';

export async function dashboardCommand(db: Conn, opts: { json?: boolean }, io: Output, now = new Date()): Promise<number> {
  const [d, health] = await Promise.all([readDashboard(db, now), listPartnerHealth(db)]);
  if (opts.json) {
    io.out(JSON.stringify({ ...d, health }, null, 2));
    return EXIT.valid;
  }
  io.out(`waiting for a person: ${d.waitingTotal}${d.waitingTotal > d.waiting.length ? ` (the ${d.waiting.length} longest waiting below; edi docs list --state rejected,failed)` : ''}`);
  if (d.waiting.length) {
    for (const line of formatTable(['ID', 'PARTNER', 'SET', 'NUMBER', 'STATE', 'SINCE', 'REASON'], d.waiting.map((w) => [w.id, w.partner, w.setId, w.number ?? '', w.state, timestamp(w.updatedAt), clip(w.reason ?? '', 60)]))) io.out('  ' + line);
  }
  io.out('');
  io.out('documents received (today / last 7 days):');
  if (d.counts.length) for (const line of formatTable(['PARTNER', 'STATE', 'TODAY', '7 DAYS'], d.counts.map((c) => [c.partner, c.state, c.today, c.week]))) io.out('  ' + line);
  else io.out('  none');
  io.out('');
  io.out('partner health:');
  if (health.length) for (const line of formatTable(['PARTNER', 'TRANSPORT', 'LAST SUCCESS', 'FAILURES', 'LAST ERROR'], health.map((h) => [h.partner, h.transport, h.lastSuccess ? timestamp(h.lastSuccess) : '-', h.consecutiveFailures, clip(h.lastError ?? '', 60)]))) io.out('  ' + line);
  else io.out('  no poll or delivery recorded yet');
  io.out('');
  io.out(`acknowledgments overdue: ${d.overdue.length}`);
  for (const line of d.overdue.length ? formatTable(['ID', 'PARTNER', 'SET', 'ODOO RECORD', 'DUE'], d.overdue.map((o) => [o.id, o.partner, o.setId, `${o.sourceModel} ${o.sourceName ?? ''}`, o.ackDueAt ? timestamp(o.ackDueAt) : '-'])) : []) io.out('  ' + line);
  if (d.as2MdnsOverdue) io.out(`AS2 MDNs overdue: ${d.as2MdnsOverdue} (edi as2 list --state mdn-overdue)`);
  io.out(`failed deliveries: ${d.failedDeliveries.length}`);
  for (const line of d.failedDeliveries.length ? formatTable(['ID', 'PARTNER', 'WHAT', 'REASON'], d.failedDeliveries.map((f) => [f.id, f.partner, f.kind, clip(f.reason ?? '', 70)])) : []) io.out('  ' + line);
  return EXIT.valid;
}
