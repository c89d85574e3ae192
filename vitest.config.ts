import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts an embedded PostgreSQL for the run when DATABASE_URL is unset; each test file gets its own schema.
    globalSetup: ['test/support/global-setup.ts'],
    // `edi start` serves HTTP (default port 8080); tests run side by side, so each takes any free port.
    env: { HTTP_PORT: '0' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
