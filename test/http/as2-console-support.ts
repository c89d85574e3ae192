// The console over one AS2 partner (bigbox) and our AS2 identity, with certificates made at test
// time, and a viewer's API token: the setup of the AS2 console tests.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { newApiToken, secretHash } from '../../src/auth/tokens.js';
import { operationsConsole } from '../../src/http/console.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/logging/logger.js';
import { loadPartners, partnerDirectory } from '../../src/partners/index.js';
import { addApiToken, addUser } from '../../src/store/index.js';
import type { Database } from '../../src/store/database.js';
import { as2Yaml, gatewayAs2Yaml, makeCert, type Made } from '../partners/as2-support.js';
import { GATEWAY_YAML, partnersFolder } from '../partners/support.js';

export interface As2Console {
  server: HttpServer;
  /** A viewer's API token. */
  token: string;
  ours: Made;
  theirs: Made;
  close(): Promise<void>;
}

/** `theirs`: the partner certificate's CN and days; `outbound`: extra lines of bigbox's transport. */
export async function startAs2Console(db: Database, o: { theirs: { cn: string; days?: number }; outbound?: string }): Promise<As2Console> {
  const keys = mkdtempSync(join(tmpdir(), 'edi-as2-console-'));
  const ours = makeCert(keys, 'ours', { cn: 'OURCO' });
  const theirs = makeCert(keys, 'theirs', o.theirs);
  const f = await partnersFolder({
    '_gateway.yaml': gatewayAs2Yaml(GATEWAY_YAML, 'id: OURCO\nurl: https://edi.example.com/as2/OURCO\ncertificate: { file: certs/ours.pem }\nprivateKey: { file: certs/ours.key }'),
    'bigbox.yaml': as2Yaml('BIGBOX', 'BIGBOX', `url: https://as2.bigbox.example/as2\ncertificate: { file: certs/theirs.pem }${o.outbound ? `\n${o.outbound}` : ''}`),
  });
  mkdirSync(join(f.dir, 'certs'));
  for (const name of ['ours.pem', 'ours.key', 'theirs.pem']) copyFileSync(join(keys, name), join(f.dir, 'certs', name));
  const loaded = await loadPartners(f.dir, {});
  expect(loaded.errors).toEqual([]);
  await addUser(db, { username: 'vic', role: 'viewer', passwordHash: await hashPassword('vic password 123', { ln: 10, r: 8, p: 1 }) }, { name: 'test', via: 'cli' });
  const token = newApiToken();
  await addApiToken(db, 'vic', { tokenHash: secretHash(token), label: 'test' }, { name: 'test', via: 'cli' });
  const server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  const outboundActions = { resend: async () => ({ notFound: true as const }), regenerate: async () => ({ notFound: true as const }) };
  for (const plugin of operationsConsole({ db, partners: partnerDirectory(loaded), log: silentLogger, outboundActions })) server.register(plugin);
  await server.app.ready();
  return {
    server, token, ours, theirs,
    async close() {
      await server.close();
      await f.remove();
      rmSync(keys, { recursive: true, force: true });
    },
  };
}
