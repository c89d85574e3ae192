// The README's command for a log collector (LOG_FORMAT=json) run as written, in a real process
// with the sample files: every line on stdout is a JSON object (no npm banner, no text), and the
// files are posted meanwhile. The container image runs node directly under tini (its ENTRYPOINT, checked too).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'edi-json-logs-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** The command the README gives for JSON logs (a line of its own in a sh block). */
function readmeCommand(): string {
  const line = readFileSync(join(root, 'README.md'), 'utf8').split('\n').map((l) => l.trim()).find((l) => /^LOG_FORMAT=json\s/.test(l));
  if (!line) throw new Error('README.md gives no LOG_FORMAT=json command');
  return line;
}

describe('LOG_FORMAT=json as the README runs it', () => {
  it('prints only JSON lines on stdout while the gateway runs and stops', { timeout: 120_000 }, async () => {
    const command = readmeCommand();
    expect(command).toBe('LOG_FORMAT=json npm start --silent');
    // As a shell runs it: leading NAME=value words into the environment, the rest the command; the
    // signal goes to npm's own process, as an operator's would.
    const words = command.split(/\s+/);
    const assignments = Object.fromEntries(words.filter((w, i) => words.slice(0, i + 1).every((x) => /^\w+=/.test(x))).map((w) => w.split('=') as [string, string]));
    const [program, ...args] = words.slice(Object.keys(assignments).length);
    const child = spawn(program!, [...args, '--', '--data-dir', dataDir, '--schema', db.schema, '--interval', '1'], {
      cwd: root,
      env: { ...process.env, ...assignments, DATABASE_URL: db.connectionString, HTTP_PORT: '0', PARTNERS_DIR: join(dataDir, 'no-partners') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => void (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // Running, and the sample files posted (a state change logged per document).
      const deadline = Date.now() + 90_000;
      while (!/"msg":"gateway running/.test(stdout) || (stdout.match(/"to":"posted"|posted/g) ?? []).length < 4) {
        if (Date.now() > deadline) throw new Error(`timed out; stdout:\n${stdout}\nstderr:\n${stderr}`);
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, stderr).toBe(0);
    const lines = stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const parsed = JSON.parse(line) as unknown;
      expect(parsed, line).toEqual(expect.objectContaining({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String) }));
    }
  });

  it('the container image runs node directly, not npm (under tini, its init process)', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node", "dist\/src\/cli\/edi\.js"\]$/m);
    expect(dockerfile).not.toMatch(/^(ENTRYPOINT|CMD) .*npm/m);
  });
});
