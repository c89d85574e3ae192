// `edi start`'s alert loop: started by the runtime with the settings of partners/_gateway.yaml and
// the environment, it sends a digest by itself; invalid settings stop the start with ALERT_CONFIG_INVALID.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliLogger } from '../../src/cli/log.js';
import { runtimeConfig } from '../../src/runtime/config.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/runtime/gateway-runtime.js';
import { quoteIdent } from '../../src/store/identifiers.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const received: { text: string }[] = [];
let server: Server;
let hookUrl = '';
let runtime: GatewayRuntime | undefined;
const lines: string[] = [];

function gatewayDir(alerts: string): { dir: string; partners: string } {
  const dir = mkdtempSync(join(tmpdir(), 'edi-alerts-rt-'));
  const partners = join(dir, 'partners');
  mkdirSync(partners);
  writeFileSync(join(partners, '_gateway.yaml'), `us: { isa: { qualifier: ZZ, id: US }, gs: US }\ndefaults: { mode: production }\n${alerts}`);
  return { dir, partners };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/services/T0KEN-RT`;
});
afterAll(async () => {
  await runtime?.stop();
  await new Promise((r) => server.close(r));
});

describe('the alert loop of edi start', () => {
  it('sends a digest of a document waiting for a person, with the console link, and logs no token', async () => {
    const t = (name: string) => `${quoteIdent(db.schema)}.${name}`;
    const f = (await db.query(`INSERT INTO ${t('files')} (partner, channel, source_name, sha256, size, bytes, state) VALUES ('acme', 'test', 'a.edi', repeat('a', 64), 0, '', 'split') RETURNING id`)).rows[0]!.id;
    const ic = (await db.query(`INSERT INTO ${t('interchanges')} (file_id, byte_offset, byte_length, sender_qualifier, sender_id, receiver_qualifier, receiver_id, control_number, usage, state) VALUES ($1, 0, 0, 'ZZ', 'ACME', 'ZZ', 'US', '1', 'P', 'accepted') RETURNING id`, [f])).rows[0]!.id;
    const doc = (await db.query(`INSERT INTO ${t('documents')} (file_id, interchange_id, group_control, version, set_id, control_number, byte_offset, byte_length, state, reason, number) VALUES ($1, $2, '1', '004010', '850', '0001', 0, 0, 'rejected', 'no GLN', 'PO-RT') RETURNING id`, [f, ic])).rows[0]!.id;
    const { dir, partners } = gatewayDir('alerts:\n  rules:\n    waiting-for-person: { threshold: 0 }\n');
    const config = runtimeConfig({ dataDir: dir, samples: false }, { HTTP_PORT: '0', ALERT_WEBHOOK_URL: hookUrl, ALERT_INTERVAL_SECONDS: '1', CONSOLE_URL: 'https://edi.example.com/' }, partners);
    runtime = await startGatewayRuntime(config, { db, log: cliLogger({ format: 'json', write: (line) => void lines.push(line) }) });
    const deadline = Date.now() + 15_000;
    while (!received.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    expect(received[0]!.text).toContain(`PO-RT rejected`);
    expect(received[0]!.text).toContain(`https://edi.example.com/documents/${doc}`);
    await runtime.stop();
    runtime = undefined;
    const log = lines.join('\n');
    expect(log).toContain('"msg":"alerts on"');
    expect(log).toContain('webhook to 127.0.0.1');
    expect(log).not.toContain('T0KEN-RT');
  }, 30_000);

  it('does not start with invalid alert settings, naming the setting', async () => {
    const { dir, partners } = gatewayDir('');
    const config = runtimeConfig({ dataDir: dir, samples: false }, { HTTP_PORT: '0', SMTP_HOST: 'smtp.example.com' }, partners);
    await expect(startGatewayRuntime(config, { db, log: cliLogger({ format: 'json', write: () => undefined }) })).rejects.toMatchObject({
      code: 'ALERT_CONFIG_INVALID', message: expect.stringContaining('ALERT_EMAIL_TO or alerts.email.to'),
    });
  }, 30_000);
});
