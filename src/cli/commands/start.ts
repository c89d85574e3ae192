// edi start: the gateway. This command only turns its options into a configuration, hands it to the
// composition root (src/runtime/gateway-runtime.ts), prints, and stops the gateway when asked
// (the abort signal, which the CLI wires to SIGINT and SIGTERM).
// --once: take what is in the drop folder and the partners' mailboxes, wait until the pipeline is
// idle, print a summary, exit (0 when every document ended posted or duplicate).
import { isGatewayError, messageOf } from '../../errors/failure.js';
import type { Logger } from '../../logging/logger.js';
import { PartnerConfigError } from '../../partners/config-error.js';
import { runtimeConfig, type StartOptions as RuntimeStartOptions } from '../../runtime/config.js';
import { FINAL_STATES, startGatewayRuntime, type GatewayRuntime, type OnceReport, type RuntimeDeps } from '../../runtime/gateway-runtime.js';
import { DOCUMENT_STATES } from '../../store/types.js';
import { EXIT } from '../exit-codes.js';
import { formatTable } from '../table.js';
import { partnersDir } from './partners.js';
import type { Output } from './inspect.js';

export interface StartOptions extends RuntimeStartOptions {
  /** The partners folder. Default: PARTNERS_DIR, else ./partners. */
  partners?: string;
}

export interface StartDeps extends Partial<Omit<RuntimeDeps, 'log'>> {
  io: Output;
  log: Logger;
  /** Aborting stops a continuous run (the CLI wires SIGINT and SIGTERM to it). */
  signal?: AbortSignal;
  /** Environment for PARTNERS_DIR, HTTP_*, ODOO_* and the partners' secrets. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Called once the gateway runs (tests: its HTTP address). */
  onStarted?: (runtime: GatewayRuntime) => void;
}

export async function startCommand(opts: StartOptions, deps: StartDeps): Promise<number> {
  const { io, log } = deps;
  const env = deps.env ?? process.env;
  let config;
  try {
    config = runtimeConfig(opts, env, partnersDir(opts, env));
  } catch (error) {
    io.err(`error: ${messageOf(error)}`);
    return EXIT.usage;
  }

  let runtime: GatewayRuntime;
  try {
    runtime = await startGatewayRuntime(config, {
      log,
      ...(deps.db ? { db: deps.db } : {}),
      ...(deps.gateway ? { gateway: deps.gateway } : {}),
      ...(deps.transports ? { transports: deps.transports } : {}),
      ...(deps.restartEmbedded ? { restartEmbedded: deps.restartEmbedded } : {}),
    });
  } catch (error) {
    if (error instanceof PartnerConfigError) {
      for (const e of error.errors) io.err(e.message);
      io.err(`error: ${error.errors.length} problem(s) in ${config.partnersDir}: the gateway does not start (edi partners check lists them)`);
    } else if (isGatewayError(error)) {
      io.err(`error: ${error.message}`);
    } else {
      log.error({ err: error }, 'the gateway could not start');
      io.err(`error: the gateway could not start: ${messageOf(error)}`);
    }
    return EXIT.failure;
  }

  try {
    deps.onStarted?.(runtime);
    // A gateway that cannot go on (its embedded database died and did not start again) exits 70 with
    // the reason, so a supervisor starts it again; never 0, which says the run ended cleanly.
    const failed = runtime.failed.then((error) => {
      throw error;
    });
    failed.catch(() => undefined);
    if (config.once) {
      const report = await Promise.race([runtime.drainOnce(), failed]);
      printSummary(io, report);
      return succeeded(report) ? EXIT.valid : EXIT.invalid;
    }
    log.info({ inbox: config.inbox, ...(runtime.http ? { http: runtime.http.url } : {}) }, 'gateway running: drop X12 files into the inbox; Ctrl-C stops');
    await Promise.race([
      new Promise<void>((resolve) => {
        if (deps.signal?.aborted) return resolve();
        deps.signal?.addEventListener('abort', () => resolve(), { once: true });
      }),
      failed,
    ]);
    return EXIT.valid;
  } catch (error) {
    log.error({ err: error }, 'the gateway stopped on an error');
    io.err(`error: the gateway stopped: ${messageOf(error)}`);
    return EXIT.failure;
  } finally {
    await runtime.stop();
  }
}

/** Every document ended in a final state, no file was rejected or left behind. */
function succeeded(report: OnceReport): boolean {
  const unfinished = Object.entries(report.counts).filter(([state, n]) => n > 0 && !FINAL_STATES.includes(state as (typeof FINAL_STATES)[number]));
  return report.idle && unfinished.length === 0 && report.rejectedFiles === 0 && report.drained.failed.length === 0 && report.drained.pending === 0;
}

function printSummary(io: Output, report: OnceReport): void {
  const { taken, failed, pending } = report.drained;
  const duplicates = taken.filter((t) => t.duplicate).length;
  io.out('');
  io.out(`${taken.length} file(s) taken from the drop folder${duplicates ? ` (${duplicates} received before)` : ''}${failed.length ? `, ${failed.length} failed: ${failed.join(', ')}` : ''}${pending ? `, ${pending} still being written` : ''}`);
  const rows = DOCUMENT_STATES.filter((s) => report.counts[s] > 0).map((s) => [s, report.counts[s]] as [string, number]);
  const total = rows.reduce((n, [, c]) => n + c, 0);
  if (rows.length === 0) io.out('no documents');
  else for (const line of formatTable(['STATE', 'DOCUMENTS'], [...rows, ['total', total]])) io.out(line);
  const acks = Object.entries(report.acks).map(([kind, n]) => `${n} x ${kind}`).join(', ');
  if (acks) io.out(`acknowledgments for the partner: ${acks}`);
  if (report.rejectedFiles) io.out(`${report.rejectedFiles} file(s) rejected as a whole (see the file's reason)`);
}
