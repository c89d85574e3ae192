// A TCP proxy to the database that a test can cut and restore: the gateway connects through it.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { silentLogger } from '../../src/logging/logger.js';
import { createPool, databaseOf, type Database } from '../../src/store/database.js';

/** Forwards a local port to the database; down() cuts every connection and refuses new ones. */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/** The test database's schema reached through a proxy (a pool of 10): cut it with proxy.down(). */
export async function throughProxy(db: Database & { url: string }): Promise<{ proxy: TcpProxy; database: Database }> {
  const url = new URL(db.url);
  const proxy = new TcpProxy({ host: url.hostname || '127.0.0.1', port: Number(url.port || 5432) });
  await proxy.up();
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  // A unix-socket URL (?host=/path) would bypass the proxy.
  url.searchParams.delete('host');
  return { proxy, database: databaseOf(createPool(url.toString(), 10, silentLogger), url.toString(), db.schema) };
}
