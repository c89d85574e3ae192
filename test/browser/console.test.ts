// The operations console in a real browser (Debian's Chromium through playwright-core): log in,
// find a rejected 850 by its PO number, read what is wrong in plain words with the element in error
// highlighted, see the order's thread, log out. Saves the screenshots the README shows
// (docs/screenshots/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../src/auth/passwords.js';
import { startCommand } from '../../src/cli/commands/start.js';
import { cliLogger } from '../../src/cli/log.js';
import { operationsConsole } from '../../src/http/console.js';
import { resendOutbound, type ActionBy } from '../../src/jobs/outbound-actions.js';
import { wakeChannel } from '../../src/jobs/queues.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/logging/logger.js';
import { loadPartners, partnerDirectory } from '../../src/partners/index.js';
import { addUser, insertOutboundDocument, listDocuments } from '../../src/store/index.js';
import { browserUnavailable, launchBrowser } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';

const unavailable = browserUnavailable();
const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
// The README's screenshots are taken again only when asked (SCREENSHOTS=update npm test): a test run
// leaves the repository as it found it.
const screenshots = process.env.SCREENSHOTS === 'update' ? join(root, 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'edi-screenshots-'));
const PASSWORD = 'correct horse battery';
let server: HttpServer;
let url = '';
let browser: Browser;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'edi-browser-'));
  const inbox = join(dataDir, 'inbox', 'sample');
  mkdirSync(inbox, { recursive: true });
  writeFileSync(join(inbox, 'po1010.edi'), readFileSync(join(root, 'test', 'fixtures', 'x12', 'fail', 'se-count-wrong.edi')));
  writeFileSync(join(inbox, 'grocery.edi'), readFileSync(join(root, 'samples', '004010', '850', '850-grocery-gln-allowances.edi')));
  const past = new Date(Date.now() - 60_000);
  for (const n of ['po1010.edi', 'grocery.edi']) utimesSync(join(inbox, n), past, past);
  await startCommand({ dataDir, once: true, interval: '0.2' }, { io: { out: () => {}, err: () => {} }, log: cliLogger({ level: 'error', format: 'pretty', write: () => {} }), db, gateway: { jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false } } });
  const passwordHash = await hashPassword(PASSWORD, { ln: 10, r: 8, p: 1 });
  await addUser(db, { username: 'olga', passwordHash, role: 'operator' }, { name: 'test', via: 'cli' });
  await addUser(db, { username: 'victor', passwordHash, role: 'viewer' }, { name: 'test', via: 'cli' });

  // The 855 we sent for the posted order (as the outbound stage stores it): the order's thread.
  const posted = (await listDocuments(db, { state: 'posted', setId: '850', limit: 1 })).items[0]!;
  await insertOutboundDocument(db, { model: 'sale.order', recordId: 7, setId: '855', generation: 1 }, {
    partner: 'sample', sourceName: 'S00007', sourceVersion: '2026-12-07 10:00:00', state: 'built', reason: null, document: { poNumber: posted.poNumber, lines: [] },
    interchangeControl: '000000001', groupControl: '1', controlNumber: '0001', outboundId: null, ackWindowSeconds: null,
  }, { stage: 'outbound', actor: 'system', message: 'built' });
  const loaded = await loadPartners(join(root, 'partners'), {}, { dataDir });
  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  const outboundActions = {
    resend: (id: number, by: ActionBy) => resendOutbound({ db, queue: { channel: wakeChannel(db.schema) } }, id, by),
    regenerate: async () => ({ refused: 'no Odoo in this test' }),
  };
  for (const plugin of operationsConsole({ db, partners: partnerDirectory({ partners: loaded.partners }), log: silentLogger, outboundActions })) server.register(plugin);
  url = (await server.listen()).url;
  if (!unavailable) browser = await launchBrowser();
  mkdirSync(screenshots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function logIn(page: Page, name: string): Promise<void> {
  await page.goto(`${url}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${url}/`);
}

describe.skipIf(unavailable !== undefined)('the console in a browser', () => {
  it('a wrong password keeps the visitor on the login page with the reason', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel('Name').fill('olga');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/login\?error=/);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('wrong name or password');
    await page.close();
  });

  it('log in, find the rejected 850 by its PO number, read what is wrong with the element highlighted, log out', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, 'olga');
    await expect(page.getByRole('heading', { name: /Waiting for a person: 1/ }).count()).resolves.toBe(1);
    await expect(page.locator('header .who').textContent()).resolves.toContain('olga (operator)');
    await page.screenshot({ path: join(screenshots, 'dashboard.png'), fullPage: true });

    await page.locator('header nav').getByRole('link', { name: 'Documents' }).click();
    await page.getByLabel('Search').fill('PO1010');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('link', { name: /^\d+$/ }).first().click();

    const problem = page.getByRole('region', { name: 'What is wrong' });
    await expect(problem.textContent()).resolves.toMatch(/What helps: only a corrected file from the partner helps/);
    const highlighted = page.locator('.x12 .el.err');
    await expect(highlighted.count()).resolves.toBe(1);
    await expect(highlighted.getAttribute('title')).resolves.toBe('SE01 Number of Included Segments (element 96)');
    await expect(highlighted.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(screenshots, 'rejected-document.png'), fullPage: true });

    // On a phone: the page fits the screen's width (wide tables scroll inside their own box).
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await expect(page.getByRole('region', { name: 'What is wrong' }).isVisible()).resolves.toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${url}/login`);
    await page.goto(`${url}/documents`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });

  it("a posted order's page shows the acknowledgment we sent, the order's thread and its canonical document as tables", { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, 'victor');
    await page.goto(`${url}/documents?state=posted&set=850`);
    await page.getByRole('link', { name: /^\d+$/ }).first().click();
    await expect(page.getByRole('heading', { name: 'Acknowledgment we sent' }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: /This order's documents/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('cell', { name: 'S00007' }).count()).resolves.toBe(1);
    await expect(page.locator('h3', { hasText: /^Lines \(\d+\)$/ }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(screenshots, 'order-thread.png'), fullPage: true });
    await page.close();
  });
});
