// GET /metrics after a real run: the gateway takes two files from its drop folder, posts their
// documents, delivers the acknowledgments, and a scrape over a loopback socket counts them. Then
// the Odoo client's and the SFTP poller's figures, and the JSON log lines that tell one document's
// story by its ids (docs/observability.md).
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliLogger } from '../../src/cli/log.js';
import { createGatewayMetrics } from '../../src/http/metrics.js';
import { silentLogger } from '../../src/logging/logger.js';
import { recordMetricsWith } from '../../src/logging/metrics.js';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { runtimeConfig } from '../../src/runtime/config.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/runtime/gateway-runtime.js';
import { createSftpPoller } from '../../src/transports/sftp/poller.js';
import { startOdooDouble } from '../odoo-double/index.js';
import { useTestDatabase } from '../support/db.js';
import { startSftpServer } from '../support/sftp-server.js';
import { sftpPartner } from '../transports/sftp/support.js';

const db = useTestDatabase();
const SAMPLES = join(import.meta.dirname, '..', '..', 'samples', '004010', '850');
const TOKEN = 'scrape-token-4f1c9a';

let runtime: GatewayRuntime;
const lines: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edi-metrics-'));
  mkdirSync(join(dir, 'partners'));
  const inbox = join(dir, 'inbox', 'sample');
  mkdirSync(inbox, { recursive: true });
  for (const name of ['850-grocery-gln-allowances.edi', '850-industrial-duns-mixed-ids.edi']) copyFileSync(join(SAMPLES, name), join(inbox, name));
  const config = runtimeConfig({ dataDir: dir, once: true, samples: false }, { HTTP_PORT: '0', METRICS_TOKEN: TOKEN }, join(dir, 'partners'));
  runtime = await startGatewayRuntime(config, { db, log: cliLogger({ format: 'json', write: (line) => void lines.push(line) }) });
}, 60_000);
afterAll(() => runtime?.stop());

/** The samples of one metric (name with its labels -> value) from Prometheus' text format. */
function samples(text: string, name: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      const at = line.lastIndexOf(' ');
      found[line.slice(0, at)] = Number(line.slice(at + 1));
    }
  }
  return found;
}

async function scrape(): Promise<string> {
  const answer = await fetch(`${runtime.http!.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return answer.text();
}

describe('/metrics after a run', () => {
  it('counts the files received, the documents by set, direction and state, the stages, the queues and the deliveries', { timeout: 60_000 }, async () => {
    const report = await runtime.drainOnce();
    expect(report.idle).toBe(true);
    expect(report.counts.posted).toBe(2);

    const text = await scrape();
    expect(samples(text, 'edi_files_received_total')).toEqual({ 'edi_files_received_total{partner="sample",channel="folder"}': 2 });
    expect(samples(text, 'edi_documents')).toEqual({ 'edi_documents{set="850",direction="inbound",state="posted"}': 2 });
    // Each stage ran at least one batch; the post stage one per document at most.
    const stages = samples(text, 'edi_stage_duration_seconds_count');
    for (const stage of ['split', 'validate', 'map', 'post']) expect(stages[`edi_stage_duration_seconds_count{stage="${stage}"}`]).toBeGreaterThan(0);
    expect(stages['edi_stage_duration_seconds_count{stage="post"}']).toBeLessThanOrEqual(2);
    // Idle: nothing waits in any queue, and every queue is listed.
    const depths = samples(text, 'edi_queue_depth');
    expect(depths['edi_queue_depth{queue="edi-split"}']).toBe(0);
    expect(Object.values(depths).every((n) => n === 0)).toBe(true);
    expect(Object.keys(depths)).toHaveLength(6);
    // One 997 per file, delivered to the sample partner's outbound folder.
    expect(samples(text, 'edi_deliveries_total')).toEqual({ 'edi_deliveries_total{partner="sample",result="sent"}': 2 });
    expect(samples(text, 'edi_acknowledgments_overdue')).toEqual({ edi_acknowledgments_overdue: 0 });
    // Node's default metrics, under the same prefix.
    expect(text).toMatch(/^edi_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^edi_nodejs_eventloop_lag_seconds /m);
  });

  it('asks for the METRICS_TOKEN when one is set', async () => {
    expect((await fetch(`${runtime.http!.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${runtime.http!.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    // Not an /api/ route: not in the OpenAPI document.
    const api = (await (await fetch(`${runtime.http!.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(api.paths)).not.toContain('/metrics');
  });

  it('logs every line of a document\'s story with its ids: one id greps it, its file\'s lines by fileId', async () => {
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const documentLines = lines.filter((l) => l.includes('"documentId":'));
    expect(documentLines.length).toBeGreaterThan(0);
    const first = entries.find((e) => typeof e.documentId === 'number')!;
    const story = lines.filter((l) => l.includes(`"documentId":${String(first.documentId)},`));
    // parsed -> validated -> mapped -> posting -> posted, each line with its file and interchange.
    expect(story.length).toBeGreaterThanOrEqual(4);
    for (const line of story) expect(JSON.parse(line)).toMatchObject({ fileId: first.fileId, interchangeId: first.interchangeId, partner: 'sample' });
    expect(story.some((l) => /-> posted/.test(l))).toBe(true);
    // The file's own lines (received, split, its 997 delivered) by its id.
    const fileLines = entries.filter((e) => e.fileId === first.fileId && e.documentId === undefined);
    expect(fileLines.map((e) => String(e.msg))).toEqual(expect.arrayContaining([expect.stringMatching(/^file \d+: new -> received$/), expect.stringMatching(/-> sent$/)]));
  });
});

describe('what the Odoo client and the SFTP poller record', () => {
  it('times Odoo calls by method and counts failures by error code; counts SFTP polls by outcome and times them', { timeout: 30_000 }, async () => {
    const metrics = createGatewayMetrics({ documents: async () => [], queueDepths: async () => ({}) }, silentLogger);
    const uninstall = recordMetricsWith(metrics.recorder);
    const double = await startOdooDouble({ version: 19 });
    const server = await startSftpServer();
    try {
      const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
      await client.searchRead('res.partner', [], { fields: ['name'], limit: 1 });
      await expect(client.searchRead('no.such.model', [], { limit: 1 })).rejects.toMatchObject({ code: 'ODOO_UNKNOWN_MODEL' });

      const poller = createSftpPoller({ db, intake: async () => { throw new Error('not called: the mailbox is empty'); } });
      expect((await poller.poll(sftpPartner(server, { code: 'm1' }))).outcome).toBe('done');
      expect((await poller.poll(sftpPartner(server, { code: 'm2', password: 'wrong-password' }))).outcome).toBe('failed');
      // Put off: the failure's backoff holds the next poll back.
      expect((await poller.poll(sftpPartner(server, { code: 'm2', password: 'wrong-password' }))).outcome).toBe('backoff');

      const text = await metrics.registry.metrics();
      expect(samples(text, 'edi_odoo_call_duration_seconds_count')).toEqual({ 'edi_odoo_call_duration_seconds_count{method="search_read"}': 2 });
      expect(samples(text, 'edi_odoo_errors_total')).toEqual({ 'edi_odoo_errors_total{kind="ODOO_UNKNOWN_MODEL"}': 1 });
      expect(samples(text, 'edi_sftp_polls_total')).toEqual({
        'edi_sftp_polls_total{partner="m1",result="done"}': 1,
        'edi_sftp_polls_total{partner="m2",result="failed"}': 1,
        'edi_sftp_polls_total{partner="m2",result="backoff"}': 1,
      });
      expect(samples(text, 'edi_sftp_poll_duration_seconds_count')).toEqual({
        'edi_sftp_poll_duration_seconds_count{partner="m1"}': 1,
        'edi_sftp_poll_duration_seconds_count{partner="m2"}': 1,
      });
    } finally {
      uninstall();
      await server.close();
      await double.close();
    }
  });
});
