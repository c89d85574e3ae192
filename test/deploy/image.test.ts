// The container image (Dockerfile, docs/deploy.md). Where a Docker engine answers, the test builds the
// image and starts it; where none does (CI here), it runs the same steps as plain commands, read from
// the Dockerfile's runtime stage: build the sources alone, copy what its COPY lines copy, set its ENV,
// run its ENTRYPOINT and CMD (tini included when installed: .ci/run installs it) as a user that is not
// root with the embedded PostgreSQL, run its HEALTHCHECK, then stop it with SIGTERM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = process.cwd();
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface RuntimeStage {
  /** [from the build stage?, source, target] */
  copies: Array<{ fromBuild: boolean; source: string; target: string }>;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[];
  user: string | undefined;
  exposed: number[];
}

/** The last stage of the Dockerfile as the plain run needs it. */
export function runtimeStage(text: string): RuntimeStage {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim());
  const start = lines.map((l, i) => (/^FROM\b/i.test(l) ? i : -1)).filter((i) => i >= 0).pop()!;
  const stage: RuntimeStage = { copies: [], env: {}, entrypoint: [], cmd: [], healthcheck: [], user: undefined, exposed: [] };
  for (const line of lines.slice(start + 1)) {
    const [word, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (word?.toUpperCase()) {
      case 'COPY': {
        const fromBuild = /^--from=build\s/.test(args);
        const [source, target] = args.replace(/^--from=\S+\s+/, '').split(/\s+/);
        stage.copies.push({ fromBuild, source: source!.replace(/^\/app\//, ''), target: target!.replace(/^\.\//, '') });
        break;
      }
      case 'ENV':
        for (const m of args.matchAll(/(\w+)=(\S+)/g)) stage.env[m[1]!] = m[2]!;
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = JSON.parse(args) as string[];
        break;
      case 'CMD':
        stage.cmd = JSON.parse(args) as string[];
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(args.slice(args.indexOf('CMD') + 3).trim()) as string[];
        break;
      case 'USER':
        stage.user = args;
        break;
      case 'EXPOSE':
        stage.exposed.push(...args.split(/\s+/).map(Number));
        break;
    }
  }
  return stage;
}

const engine = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 15_000 });
const engineRuns = engine.status === 0 && engine.stdout.trim() !== '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>, output: () => string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what} within ${ms} ms; output:\n${output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const get = async (port: number, path: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the Dockerfile', () => {
  const stage = runtimeStage(dockerfile);

  it('runs node under tini as a user that is not root, with JSON logs, the HTTP port exposed and a health check on /healthz', () => {
    expect(stage.entrypoint.slice(0, 3)).toEqual(['/usr/bin/tini', '--', 'node']);
    expect(stage.entrypoint).not.toContain('npm');
    expect(stage.user).toBe('node');
    expect(stage.env).toMatchObject({ HTTP_HOST: '0.0.0.0', LOG_FORMAT: 'json', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(stage.exposed).toEqual([Number(stage.env['HTTP_PORT'])]);
    expect(stage.healthcheck.join(' ')).toContain('/healthz');
    // Only the compiled sources: no dist/test, dist/bench or dist/proof.
    expect(stage.copies.filter((c) => c.source.startsWith('dist'))).toEqual([{ fromBuild: true, source: 'dist/src', target: 'dist/src' }]);
    expect(readFileSync(join(root, '.dockerignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['test', 'bench', 'proof', 'node_modules', 'data']));
  });
});

describe('the image', () => {
  const tag = `edi-gateway-test:${process.pid}`;
  const name = `edi-gateway-test-${process.pid}`;
  const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 600_000 });
  afterAll(() => {
    if (!engineRuns) return;
    docker('rm', '-f', name);
    docker('rmi', '-f', tag);
  });

  const dir = mkdtempSync(join(tmpdir(), 'edi-image-'));
  const app = join(dir, 'app');
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  // One test, two ways, so neither is ever reported skipped.
  it(engineRuns ? 'builds, becomes healthy, runs tini as PID 1 and the gateway as node, and stops on SIGTERM' : 'runs as plain commands (no Docker engine answers): builds the sources alone, copies what the image copies, runs it as a user that is not root with the embedded PostgreSQL', async () => {
    if (engineRuns) await withEngine();
    else await plain();
  }, 900_000);

  async function withEngine() {
    const build = docker('build', '-t', tag, root);
    expect(build.status, build.stderr).toBe(0);
    const run = docker('run', '-d', '--name', name, '-P', tag);
    expect(run.status, run.stderr).toBe(0);
    const logs = () => docker('logs', name).stdout + docker('logs', name).stderr;
    await until('healthy', 180_000, async () => (docker('inspect', '--format', '{{.State.Health.Status}}', name).stdout.trim() === 'healthy' ? true : undefined), logs);
    expect(docker('exec', name, 'cat', '/proc/1/comm').stdout.trim()).toBe('tini');
    expect(docker('exec', name, 'id', '-un').stdout.trim()).toBe('node');
    expect(docker('exec', name, 'ls', 'dist').stdout.trim()).toBe('src');
    const port = Number(docker('port', name, '8080/tcp').stdout.trim().split(':').pop());
    expect((await get(port, '/readyz')).status).toBe(200);
    for (const line of docker('logs', name).stdout.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    expect(docker('stop', '-t', '40', name).status).toBe(0);
    expect(docker('inspect', '--format', '{{.State.ExitCode}}', name).stdout.trim()).toBe('0');
  }

  async function plain() {
    console.log(`no Docker engine answers (${(engine.stderr || engine.error?.message || '').trim().split('\n')[0]}): running the image's steps as plain commands`);
    const stage = runtimeStage(dockerfile);
    chmodSync(dir, 0o755);
    // The build stage: the sources alone, as .dockerignore leaves them (no test/, bench/, proof/).
    const build = join(dir, 'build');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions: { rootDir: root, outDir: build, typeRoots: [join(root, 'node_modules', '@types')] }, include: [join(root, 'src')] }));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 300_000 });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    // The runtime stage's COPY lines (node_modules: the checkout's, dev dependencies included).
    mkdirSync(app);
    for (const copy of stage.copies) {
      const target = join(app, copy.target);
      mkdirSync(join(target, '..'), { recursive: true });
      if (copy.fromBuild && copy.source === 'node_modules') symlinkSync(join(root, 'node_modules'), target);
      else if (copy.fromBuild && copy.source.startsWith('dist/')) cpSync(join(build, copy.source.slice('dist/'.length)), target, { recursive: true });
      else cpSync(join(root, copy.source), target, { recursive: true });
    }
    expect(readdirSync(join(app, 'dist'))).toEqual(['src']);
    expect(existsSync(join(app, 'dist', 'src', 'cli', 'edi.js'))).toBe(true);

    // USER node: here nobody when we are root (PostgreSQL refuses root), else ourselves.
    const asRoot = process.getuid?.() === 0;
    mkdirSync(join(app, 'data'));
    if (asRoot) chownSync(join(app, 'data'), 65534, 65534);
    const port = await freePort();
    const [command, ...args] = [...stage.entrypoint, ...stage.cmd];
    const tini = existsSync(command!);
    if (!tini) console.log(`${command} is not installed (apt-get install tini; .ci/run does): running node without it`);
    const argv = tini ? [command!, ...args] : args;
    const runAs = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: app, ...stage.env, HTTP_PORT: String(port) };
    const [file, ...rest] = [...runAs, ...argv.map((a) => (a === 'node' ? process.execPath : a))];
    let stdout = '';
    let stderr = '';
    child = spawn(file!, rest, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const output = () => `${stdout}\n${stderr}`;

    const health = await until('/healthz answered 200', 60_000, async () => ((await get(port, '/healthz')).status === 200 ? await get(port, '/healthz') : undefined), output);
    expect(health.body).toMatchObject({ status: 'ok' });
    await until('/readyz answered 200 (embedded PostgreSQL started and migrated)', 120_000, async () => ((await get(port, '/readyz')).status === 200 ? true : undefined), output);
    // The HEALTHCHECK command itself.
    const [checkCommand, ...checkArgs] = stage.healthcheck;
    const check = spawnSync(checkCommand === 'node' ? process.execPath : checkCommand!, checkArgs, { env, encoding: 'utf8', timeout: 10_000 });
    expect(check.status, check.stderr).toBe(0);
    // The embedded PostgreSQL belongs to that user.
    if (asRoot) expect(statSync(join(app, 'data', 'postgres')).uid).toBe(65534);

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => (child!.exitCode !== null ? resolve(child!.exitCode) : child!.once('exit', (c) => resolve(c))));
    expect(code, output()).toBe(0);
    // stdout is JSON lines only (no npm banner), and PostgreSQL was stopped with the gateway.
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(existsSync(join(app, 'data', 'postgres', 'postmaster.pid'))).toBe(false);
  }
});
