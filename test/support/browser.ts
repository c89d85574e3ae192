// Debian's Chromium driven by playwright-core for the console's browser tests. The binary is the
// distribution's (.ci/run installs the chromium package when missing); playwright never downloads
// one. Launched directly, headless, with the network features that would reach out switched off.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

/** Why the browser tests cannot run here (no Chromium), or undefined: they are skipped loudly then, as .ci/run installs it. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `no Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does; or set CHROMIUM_PATH)`;
  console.warn(`\n*** SKIPPED: the console's browser tests (test/browser): ${why} ***\n`);
  return why;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    timeout: 30_000,
  });
}
