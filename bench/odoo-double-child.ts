// The Odoo double in its own process for a bench (bench/odoo-double-process.ts): its records and CPU
// are not the gateway's. Resolves once it listens, with its address and how to end it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface DoubleProcess {
  child: ChildProcess;
  url: string;
  db: string;
  login: string;
  apiKey: string;
  close(): Promise<void>;
}

/** `answerMs`: every call answered after this long; `senders`: the customers to seed (their refs). */
export async function startDoubleProcess(options: { answerMs: number; senders?: readonly string[]; profileDir?: string }): Promise<DoubleProcess> {
  const env = { ...withoutNodeOptions(process.env), BENCH_ODOO_MS: String(options.answerMs), ...(options.senders ? { BENCH_ODOO_SENDERS: options.senders.join(',') } : {}) };
  const child = spawn(process.execPath, [...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []), '--import', 'tsx', 'bench/odoo-double-process.ts'], { stdio: ['pipe', 'pipe', 'inherit'], env });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const address = JSON.parse(line) as { url: string; db: string; login: string; apiKey: string };
  return {
    child,
    ...address,
    async close() {
      child.stdin!.end();
      await once(child, 'exit');
    },
  };
}

/** NODE_OPTIONS tried on the gateway (a heap limit) are not the double's: its records grow with the run. */
function withoutNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _ignored, ...rest } = env;
  return rest;
}
