// The operations flow of issue 13 in a real browser, end to end with the gateway running against the
// Odoo double: an operator logs in, finds a rejected 850 by its PO number, reads why in plain words,
// maps the unknown product to an Odoo product found by its barcode, and sees that order and the
// other one waiting on the same product posted. A viewer sees no action and the API refuses one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../src/auth/passwords.js';
import { newApiToken, secretHash } from '../../src/auth/tokens.js';
import { operationsConsole } from '../../src/http/console.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import type { Gateway } from '../../src/jobs/gateway.js';
import { silentLogger } from '../../src/logging/logger.js';
import { odooRehearsal } from '../../src/odoo/dry-run.js';
import { partnerDirectory } from '../../src/partners/index.js';
import { addApiToken, addUser, getDocument } from '../../src/store/index.js';
import { GAP_CODE, GAP_PARTNER, gapPartner, productGapScene, until, type ProductGapScene } from '../support/product-gap.js';
import { browserUnavailable, launchBrowser } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';

const unavailable = browserUnavailable();
const db = useTestDatabase();
const PARTNER = GAP_PARTNER;
const THEIR_CODE = GAP_CODE;
const PASSWORD = 'a long enough password';

let scene: ProductGapScene;
let gateway: Gateway;
let server: HttpServer;
let browser: Browser;
let url = '';
let viewerToken = '';
const ids: number[] = [];

beforeAll(async () => {
  scene = await productGapScene(db);
  gateway = scene.gateway;
  ids.push(...scene.documentIds);
  const passwordHash = await hashPassword(PASSWORD, { ln: 10, r: 8, p: 1 });
  await addUser(db, { username: 'olga', passwordHash, role: 'operator' }, { name: 'test', via: 'cli' });
  await addUser(db, { username: 'vic', passwordHash, role: 'viewer' }, { name: 'test', via: 'cli' });
  viewerToken = newApiToken();
  await addApiToken(db, 'vic', { tokenHash: secretHash(viewerToken), label: 'test' }, { name: 'test', via: 'cli' });

  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  for (const plugin of operationsConsole({
    db, partners: partnerDirectory({ partners: new Map([[PARTNER, gapPartner]]) }), log: silentLogger,
    outboundActions: { resend: async () => ({ notFound: true }), regenerate: async () => ({ notFound: true }) },
    documentActions: gateway.actions,
    gaps: { gateway, odoo: { client: scene.client, rehearse: odooRehearsal(scene.options) } },
  })) server.register(plugin);
  url = (await server.listen()).url;
  if (!unavailable) browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await scene?.close();
});

async function logIn(page: Page, name: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${url}/`);
}

async function openByPoNumber(page: Page, poNumber: string): Promise<void> {
  await page.locator('header nav').getByRole('link', { name: 'Documents' }).click();
  await page.getByLabel('Search').fill(poNumber);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('link', { name: /^\d+$/ }).first().click();
}

describe.skipIf(unavailable !== undefined)('fixing a master-data gap in the browser', () => {
  it('a viewer sees why but no action, and the API refuses their replay', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await logIn(page, 'vic');
    await openByPoNumber(page, 'FM-1');
    await expect(page.getByRole('region', { name: 'What is wrong' }).textContent()).resolves.toContain(THEIR_CODE);
    await expect(page.getByRole('button', { name: 'Replay', exact: true }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Cancel this document' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Search Odoo' }).count()).resolves.toBe(0);
    const refused = await fetch(`${url}/api/documents/${ids[0]}/replay`, { method: 'POST', headers: { authorization: `Bearer ${viewerToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);
    // Not logged in at all: a gap page sends the visitor to log in.
    const anonymous = await fetch(`${url}/documents/${ids[0]}/gaps/product?code=${THEIR_CODE}`, { redirect: 'manual' });
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/login']);
    await page.close();
  });

  it('an operator maps the unknown product found by barcode; both waiting orders post', { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, 'olga');
    await openByPoNumber(page, 'FM-1');
    const problem = await page.getByRole('region', { name: 'What is wrong' }).textContent();
    expect(problem).toContain(THEIR_CODE);
    expect(problem).toMatch(/What helps: fix what the reason names here/);

    await page.getByLabel(`Map ${THEIR_CODE} to an Odoo product: search by name, internal reference or barcode`).fill('012345678929');
    await page.getByRole('button', { name: 'Search Odoo' }).click();
    await expect(page.getByRole('cell', { name: 'Bulk Almonds Raw' }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: `Map ${THEIR_CODE} to AC-2040` }).click();
    await expect(page.getByRole('heading', { name: `${PARTNER}'s ${THEIR_CODE} mapped to AC-2040` }).count()).resolves.toBe(1);
    await expect(page.locator('p.box').first().textContent()).resolves.toMatch(/2 waiting documents replayed/);

    await until('both orders posted', async () => (await Promise.all(ids.map((id) => getDocument(db, id)))).every((d) => d?.state === 'posted'));
    await page.reload();
    await expect(page.locator('p.box').first().textContent()).resolves.toMatch(/2 posted so far/);
    await openByPoNumber(page, 'FM-2');
    await expect(page.locator('h1 .state').textContent()).resolves.toBe('posted');
    await expect(page.locator('table').last().textContent()).resolves.toContain('olga');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${url}/login`);
    await page.close();
  });
});
