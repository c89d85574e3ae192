// The webhook channel: POST {text, subject, alerts} as JSON. `text` is what a Slack-style incoming
// webhook shows; the rest is for programs. The URL holds a token: errors name only its host.
import { GatewayError } from '../errors/failure.js';
import type { WebhookChannel } from './config.js';
import type { Message } from './message.js';

export async function sendWebhook(channel: WebhookChannel, message: Message, timeoutMs = 10_000): Promise<void> {
  const url = channel.url();
  const host = hostOf(url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: message.text, subject: message.subject, alerts: message.alerts }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new GatewayError('ALERT_SEND_FAILED', `webhook at ${host}: no answer (${cause})`, { channel: 'webhook', host });
  }
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw new GatewayError('ALERT_SEND_FAILED', `webhook at ${host} answered ${response.status}`, { channel: 'webhook', host, status: response.status });
}

/** The host only: the path and query of a webhook URL are its token. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(an invalid address)';
  }
}
