// What the AS2 tests over HTTP share: a gateway runtime serving /as2/<id> on loopback with the partner
// files a test writes, an 850 to carry, a partner that POSTs hand-made AS2 messages, and a wait.
import { createServer } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { as2Headers, packMessage, type PackOptions } from '../../src/as2/index.js';
import { silentLogger } from '../../src/logging/logger.js';
import { runtimeConfig } from '../../src/runtime/config.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/runtime/gateway-runtime.js';
import type { Database } from '../../src/store/database.js';
import type { TestIdentity } from './cms/openssl.js';

const SAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'samples', '004010', '850', '850-grocery-gln-allowances.edi'), 'utf8');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The sample 850 from `sender` to `receiver` (ISA ids padded to 15) under interchange number `control`. */
export function order850(sender: string, receiver: string, control: number): string {
  const separator = SAMPLE[3]!;
  const isaEnd = SAMPLE.indexOf('~') + 1;
  const isa = SAMPLE.slice(0, isaEnd).split(separator);
  isa[6] = sender.padEnd(15);
  isa[8] = receiver.padEnd(15);
  isa[13] = String(control).padStart(9, '0');
  const rest = SAMPLE.slice(isaEnd)
    .replace(/GS\*PO\*FRESHMART\*ACMEDIST\*/, `GS*PO*${sender}*${receiver}*`)
    .replace(/IEA\*1\*\d{9}~/, `IEA*1*${String(control).padStart(9, '0')}~`);
  return isa.join(separator) + rest;
}

/** A partner file with an AS2 transport (JSON is YAML); `transport` overrides and adds keys. */
export function as2PartnerFile(o: {
  isa: string;
  usIsa: string;
  as2Id: string;
  url?: string;
  certificate: TestIdentity;
  us: { id: string; url?: string; identity: TestIdentity };
  documents?: { inbound: string[]; outbound?: string[] };
  transport?: Record<string, unknown>;
}): string {
  return JSON.stringify({
    mode: 'production',
    identity: { isa: { qualifier: 'ZZ', id: o.isa }, gs: o.isa },
    us: { isa: { qualifier: 'ZZ', id: o.usIsa }, gs: o.usIsa },
    documents: o.documents ?? { inbound: ['850'] },
    // Acknowledgments are other tests' subject: none go back, so only what a test sends is on the wire.
    acknowledgments: { kind: 'none' },
    transport: {
      type: 'as2', as2Id: o.as2Id, ...(o.url ? { url: o.url } : {}), certificate: { file: o.certificate.certPath },
      us: { id: o.us.id, ...(o.us.url ? { url: o.us.url } : {}), certificate: { file: o.us.identity.certPath }, privateKey: { file: o.us.identity.keyPath } },
      ...o.transport,
    },
  }, null, 2);
}

export interface As2Gateway {
  runtime: GatewayRuntime;
  port: number;
  /** http://127.0.0.1:<port> */
  base: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * A whole gateway runtime on `db` serving HTTP on `port` (from freePort, so partner files can name
 * it), with partners/<name>.yaml for each of `files` (`_gateway` included).
 */
export async function startAs2Gateway(db: Database, dir: string, port: number, files: Record<string, string>): Promise<As2Gateway> {
  mkdirSync(join(dir, 'partners'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'partners', `${name}.yaml`), text);
  const config = runtimeConfig({ dataDir: dir, samples: false, interval: '0.2' }, { HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' }, join(dir, 'partners'));
  const runtime = await startGatewayRuntime(config, { db, log: silentLogger });
  const broken = runtime.partners.broken?.() ?? [];
  if (broken.length) {
    await runtime.stop();
    throw new Error(`partner files do not load: ${broken.map((b) => `${b.display}: ${b.errors.map((e) => e.message).join('; ')}`).join('\n')}`);
  }
  return { runtime, port, base: `http://127.0.0.1:${port}`, dir, stop: () => runtime.stop() };
}

export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

export async function post(url: string, headers: Record<string, string>, body: Uint8Array, timeoutMs = 15_000): Promise<HttpAnswer> {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const answer: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    answer[name] = value;
  });
  return { status: response.status, headers: answer, body: Buffer.from(await response.arrayBuffer()) };
}

/** What a partner's AS2 software sends: the HTTP headers (a signed sync MDN asked for by default) and the packed body. */
export function as2Message(payload: Uint8Array | string, o: {
  from: string;
  to: string;
  messageId: string;
  pack: PackOptions;
  mdn?: { mode: 'sync' } | { mode: 'async'; url: string } | 'none';
}): { headers: Record<string, string>; body: Uint8Array; mic: { value: string; algorithm: string } } {
  const packed = packMessage(typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload, { micAlgorithm: 'sha256', ...o.pack });
  const mdn = o.mdn ?? { mode: 'sync' };
  const headers = {
    ...as2Headers({ from: o.from, to: o.to, messageId: o.messageId, ...(mdn === 'none' ? {} : { mdn, mdnSigned: 'sha256' as const }) }),
    'Content-Type': packed.contentType,
  };
  return { headers, body: packed.body, mic: packed.mic };
}
