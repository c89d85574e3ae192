// What the gateway counts and times as it runs (docs/observability.md), as a port in the lowest
// layer so that intake, the stages, the Odoo client, the SFTP poller and delivery can all record
// into it. The prom-client adapter behind GET /metrics lives in src/http/metrics.ts; the composition
// root installs it. A process serves one /metrics, so the recorder is the process's own: without
// one installed (tests, CLI commands) every call is a no-op.

export type DeliveryOutcome = 'sent' | 'failed';

export interface MetricsRecorder {
  /** A new file (not a duplicate receipt or our own re-read) was stored by intake. */
  fileReceived(partner: string, channel: string): void;
  /** A stage handler ran a batch of jobs (the queue's stage name), in seconds. */
  stageRan(stage: string, seconds: number): void;
  /** One call to Odoo (its ORM method), in seconds; `errorCode` is the catalog code when it failed. */
  odooCall(method: string, seconds: number, errorCode?: string): void;
  /** One poll of a partner's SFTP mailbox: its outcome (done, failed, backoff, locked) and, when it connected or tried to, how long it took. */
  sftpPoll(partner: string, outcome: string, seconds?: number): void;
  /** One outbound entry (an acknowledgment, an outbound document) handed to a partner's channel. */
  delivery(partner: string, outcome: DeliveryOutcome): void;
}

export const noMetrics: MetricsRecorder = {
  fileReceived() {},
  stageRan() {},
  odooCall() {},
  sftpPoll() {},
  delivery() {},
};

let current: MetricsRecorder = noMetrics;

/** The recorder installed for this process (a no-op one until the runtime installs prom-client's). */
export function metrics(): MetricsRecorder {
  return current;
}

/** Installs `recorder` for this process; the function returned puts the previous one back. */
export function recordMetricsWith(recorder: MetricsRecorder): () => void {
  const previous = current;
  current = recorder;
  return () => {
    if (current === recorder) current = previous;
  };
}

/** Seconds since `startedAt` (a performance.now() reading). */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
