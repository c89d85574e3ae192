// A test double of Odoo 18 / 19's external API on 127.0.0.1 (see README.md for what it covers).
// Tests seed it over the wire, like a real Odoo; `db.records` reads the raw rows for assertions.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createDatabase } from './models/index.js';
import type { Row } from './orm.js';
import { createHandler, type Call, type FaultState } from './server.js';

export interface OdooDoubleOptions {
  version: 18 | 19;
  /** Database name (default 'edi18' / 'edi19'). */
  db?: string;
  /** Login of uid 2 (default 'admin'). */
  login?: string;
  /** API key, 40 hex characters (default: random). */
  apiKey?: string;
  /** Password of the login, accepted wherever the key is on JSON-RPC (default 'admin', as in the captures). */
  password?: string;
  /** Optional modules; stockDelivery (default true) adds carrier_id / carrier_tracking_ref and delivery.carrier. */
  modules?: { stockDelivery?: boolean };
  /** Clock for dates written by the double (default: real time). */
  now?: () => Date;
}

export interface OdooDoubleFaults {
  /** true: refuse connections (listener closed, open sockets destroyed); false: listen again on the same port. */
  down(on: boolean): void;
  /** Delay every response by ms (0 turns it off). */
  slow(ms: number): void;
  /** Let every call of model.method wait ms before it runs (0 turns it off); other calls answer at once. */
  slowCall(model: string, method: string, ms: number): void;
  /** The next `count` requests answer `status` (default 502) with a proxy's HTML page. */
  http5xx(count: number, status?: number): void;
  /** The next `count` ORM calls fail with psycopg2.errors.SerializationFailure (after Odoo's own retries). */
  serializationFailure(count: number): void;
  /** The next `count` ORM calls fail with a lock error: 19 odoo.exceptions.LockError (409), 18 psycopg2 LockNotAvailable. */
  lockError(count: number): void;
  /** Clears every fault. */
  reset(): void;
}

export interface OdooDouble {
  url: string;
  version: 18 | 19;
  db: { records(model: string): Row[] };
  dbName: string;
  login: string;
  apiKey: string;
  uid: number;
  faults: OdooDoubleFaults;
  /** Every ORM call received (after authentication), oldest first. */
  calls: Call[];
  close(): Promise<void>;
}

export type { Call } from './server.js';

export async function startOdooDouble(opts: OdooDoubleOptions): Promise<OdooDouble> {
  const version = opts.version;
  const dbName = opts.db ?? `edi${version}`;
  const login = opts.login ?? 'admin';
  const apiKey = opts.apiKey ?? randomBytes(20).toString('hex');
  const uid = 2;
  const database = createDatabase(version, uid, opts.now ?? (() => new Date()), { stockDelivery: opts.modules?.stockDelivery ?? true });
  const faults: FaultState = { slowMs: 0, slowCalls: [], http5xx: { count: 0, status: 502 }, serialization: 0, lock: 0 };
  const calls: Call[] = [];
  const handler = createHandler({ db: database, dbName, login, secrets: [apiKey, opts.password ?? 'admin'], apiKey, faults, calls });

  const sockets = new Set<Socket>();
  let down = false;
  let closed = false;
  const server: Server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    });
  });
  server.on('connection', (socket) => {
    if (down) return socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // A re-listen after down(false) that fails (port taken meanwhile) leaves the double down; tests then fail loudly.
  server.on('error', () => undefined);

  const destroySockets = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    version,
    dbName,
    login,
    apiKey,
    uid,
    calls,
    db: {
      records: (model) => {
        const table = database.store.tables[model];
        if (!table) throw new Error(`odoo double: no model ${model}`);
        // Plain copies: the stored rows are proxies (orm.ts), which structuredClone refuses.
        return structuredClone(Object.values(table).map((r) => ({ ...r })).sort((a, b) => a.id - b.id));
      },
    },
    faults: {
      down(on) {
        if (on === down || closed) return;
        down = on;
        if (on) {
          server.close();
          destroySockets();
        } else server.listen(port, '127.0.0.1');
      },
      slow(ms) {
        faults.slowMs = Math.max(0, ms);
      },
      slowCall(model, method, ms) {
        faults.slowCalls = [...faults.slowCalls.filter((c) => c.model !== model || c.method !== method), ...(ms > 0 ? [{ model, method, ms }] : [])];
      },
      http5xx(count, status = 502) {
        faults.http5xx = { count, status };
      },
      serializationFailure(count) {
        faults.serialization = count;
      },
      lockError(count) {
        faults.lock = count;
      },
      reset() {
        faults.slowMs = 0;
        faults.slowCalls = [];
        faults.http5xx = { count: 0, status: 502 };
        faults.serialization = 0;
        faults.lock = 0;
        if (down) this.down(false);
      },
    },
    async close() {
      if (closed) return;
      closed = true;
      destroySockets();
      if (!down) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
