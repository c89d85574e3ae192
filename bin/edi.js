#!/usr/bin/env node
// Installed entry point. In a checkout (src/ present, tsx installed by `npm ci`) it runs the
// TypeScript sources, so `npx edi` works right after `npm ci` and never runs a stale build; in the
// container image (no src/, dist/ built) it runs the compiled CLI.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/edi.ts', import.meta.url);
const compiled = new URL('../dist/src/cli/edi.js', import.meta.url);

async function tsxRegister() {
  try {
    return (await import('tsx/esm/api')).register;
  } catch {
    return undefined;
  }
}

const register = existsSync(sources) ? await tsxRegister() : undefined;
if (register) {
  register();
  await import(sources.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write('edi: neither the sources with tsx (npm ci) nor a build (npm run build) are here\n');
  process.exit(70);
}
