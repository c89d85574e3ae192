// An Odoo test double in its own process for the benches: its records grow with every order posted,
// and neither they nor its CPU belong in the gateway's figures. Seeds what the bench files need
// (bench/pipeline-files.ts): per sender a customer (ref = the sender id) with delivery addresses
// STORE 0..899 (ref S<n>, the N1*ST*..*92 id) and products SKU-1..SKU-16 (default_code, the VN id).
// Answers every call after BENCH_ODOO_MS (default 20) ms. Prints one JSON line with url, db, login
// and key on stdout, then serves until its stdin closes.
import { createOdooClient } from '../src/odoo/client/client.js';
import { startOdooDouble } from '../test/odoo-double/index.js';

const senders = (process.env.BENCH_ODOO_SENDERS ?? 'BIGBUYER,SMALLBUYER,FOLDERBUYER,SFTPBUYER').split(',');
const double = await startOdooDouble({ version: 19 });
const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey, maxConcurrent: 8 });
for (let l = 1; l <= 16; l++) await client.create('product.product', { name: `Item ${l}`, default_code: `SKU-${l}`, type: 'consu', list_price: 2.5 + l });
for (const sender of senders) {
  const customer = await client.create('res.partner', { name: `${sender} Stores`, ref: sender, is_company: true });
  await Promise.all(Array.from({ length: 900 }, (_, n) => client.create('res.partner', { name: `STORE ${n}`, parent_id: customer, type: 'delivery', ref: `S${n}` })));
}
double.faults.slow(Number(process.env.BENCH_ODOO_MS ?? 20));
process.stdout.write(JSON.stringify({ url: double.url, db: double.dbName, login: double.login, apiKey: double.apiKey }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => void double.close().then(() => process.exit(0)));
