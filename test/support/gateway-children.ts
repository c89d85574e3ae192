// Gateway child processes (test/support/gateway-process.ts) for the scale-out and crash tests,
// and the exactly-once checks both make on the database afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import type { Conn } from '../../src/store/index.js';
import type { TestDatabase } from './db.js';
import { tableIn } from '../../src/store/identifiers.js';

const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'test', 'support', 'gateway-process.ts');

export interface Child {
  name: string;
  process: ChildProcess;
  /** What it wrote to stderr (warnings, errors). */
  stderr: string[];
  /** Documents it handed to the posting target, as it reported on a graceful stop (0 before). */
  posts(): number;
  /** Resolves with the first match of `pattern` in what it printed on stdout (e.g. "called 12"). */
  printed(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

export interface ChildEnv {
  url: string;
  schema: string;
  jobExpireSeconds?: number;
  retryLimit?: number;
  maxRuntimeMs?: number;
  /** More environment (see gateway-process.ts: LEASE_SECONDS, TARGET, PROBE_MS, HOLD_AFTER_CALL ...). */
  extra?: Record<string, string>;
}

/** Starts one gateway process and resolves when its workers run. */
export async function startChild(name: string, env: ChildEnv, readyTimeoutMs = 30_000): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: env.url,
      EDI_SCHEMA: env.schema,
      GATEWAY_NAME: name,
      JOB_EXPIRE_SECONDS: String(env.jobExpireSeconds ?? 5),
      RETRY_LIMIT: String(env.retryLimit ?? 10),
      MAX_RUNTIME_MS: String(env.maxRuntimeMs ?? 120_000),
      ...env.extra,
    },
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (t: string) => stderr.push(t));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let out = '';
  const posts = () => Number(/posts (\d+)/.exec(out)?.[1] ?? 0);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${readyTimeoutMs} ms:\n${stderr.join('')}`)), readyTimeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${stderr.join('')}`));
    });
  });
  const printed = async (pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(out);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${stderr.join('')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { name, process: child, stderr, posts, printed, exited };
}

/** SIGKILL: no cleanup at all, as a crash. */
export async function killChild(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}

/** SIGTERM, then SIGKILL if it does not stop in time. */
export async function stopChild(child: Child, timeoutMs = 15_000): Promise<number | null> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.process.exitCode;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Seeded PRNG (mulberry32): the same seed gives the same kill moments. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PipelineCounts {
  files: number;
  filesReceived: number;
  documents: number;
  byState: Record<string, number>;
  ledger: number;
}

export async function pipelineCounts(db: Conn): Promise<PipelineCounts> {
  const [files, docs, ledger] = await Promise.all([
    db.query<{ files: number; received: number }>(`SELECT count(*)::int AS files, count(*) FILTER (WHERE state = 'received')::int AS received FROM ${tableIn(db.schema, 'files')}`),
    db.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} GROUP BY state`),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'posted')}`),
  ]);
  const byState = Object.fromEntries(docs.rows.map((r) => [r.state, r.n]));
  return {
    files: files.rows[0]!.files,
    filesReceived: files.rows[0]!.received,
    documents: docs.rows.reduce((n, r) => n + r.n, 0),
    byState,
    ledger: ledger.rows[0]!.n,
  };
}

/** Polls until every expected document is posted (or the time is up); returns the last counts. */
export async function waitForAllPosted(db: Conn, expected: number, timeoutMs: number): Promise<PipelineCounts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await pipelineCounts(db);
    if ((counts.byState.posted ?? 0) >= expected || Date.now() > deadline) return counts;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Exactly once: every transaction is a document, every document posted, one ledger row per
 * document (and no ledger row without one), one 'posted' event per document.
 */
export async function expectEachPostedOnce(db: Conn, files: number, transactions: number): Promise<void> {
  const counts = await pipelineCounts(db);
  expect(counts.files).toBe(files);
  expect(counts.filesReceived).toBe(0);
  expect(counts.documents).toBe(transactions);
  expect(counts.byState).toEqual({ posted: transactions });
  expect(counts.ledger).toBe(transactions);
  const t = (name: string) => tableIn(db.schema, name);
  const ledger = await db.query<{ documents: number; orphans: number }>(
    `SELECT count(DISTINCT p.document_id)::int AS documents, count(*) FILTER (WHERE d.id IS NULL)::int AS orphans
     FROM ${t('posted')} p LEFT JOIN ${t('documents')} d ON d.id = p.document_id`,
  );
  expect(ledger.rows[0]).toEqual({ documents: transactions, orphans: 0 });
  const events = await db.query<{ document_id: string; n: number }>(
    `SELECT d.id AS document_id, count(e.id)::int AS n
     FROM ${t('documents')} d LEFT JOIN ${t('events')} e ON e.document_id = d.id AND e.to_state = 'posted'
     GROUP BY d.id HAVING count(e.id) <> 1`,
  );
  expect(events.rows).toEqual([]);
}

/**
 * The usual arrangement of a multi-process test: the test process only receives files (an
 * intake-only gateway on its own pool, with the children's job settings: job options travel with
 * each job) and the children it starts do the stage work; all of them are stopped after the file.
 */
export function useChildGateways(db: TestDatabase, options: { pool?: number; jobExpireSeconds?: number } = {}): { readonly intake: Gateway; children: Child[] } {
  let intake: Gateway | undefined;
  const children: Child[] = [];
  beforeAll(async () => {
    intake = await startGateway({ db: db.another(options.pool ?? 4), workers: false, jobExpireSeconds: options.jobExpireSeconds ?? 5, retry: { limit: 10, delaySeconds: 0, backoff: false } });
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    await intake?.stop();
  });
  return {
    children,
    get intake() {
      if (!intake) throw new Error('the intake gateway is ready only from beforeAll on');
      return intake;
    },
  };
}
