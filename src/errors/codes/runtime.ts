// Stable codes of the running gateway itself: its configuration, its HTTP server, its stop.
import type { CatalogEntry } from '../types.js';

export const runtimeCodes = {
  RUNTIME_CONFIG_INVALID: {
    severity: 'error', scope: 'config', retry: 'business',
    meaning: 'A setting of `edi start` (a command-line option or an environment variable such as HTTP_PORT) has a value the gateway cannot use; it does not start.',
    fix: 'Correct the setting the message names (it says which values are allowed) and start again.',
  },
  HTTP_LISTEN_FAILED: {
    severity: 'error', scope: 'config', retry: 'business',
    meaning: 'The gateway cannot serve HTTP on the configured address (the port is taken by another program, or the address is not on this machine); it does not start.',
    fix: 'Stop the program holding the port, or choose another with HTTP_PORT (and HTTP_HOST), then start again.',
  },
  RUNTIME_STOP_INCOMPLETE: {
    severity: 'warning', scope: 'config', retry: 'transient',
    meaning: 'At a stop, work in hand did not finish within the stop timeout; the gateway stopped anyway. Nothing is lost: the jobs cut short run again after the next start, and each stage is safe to repeat.',
    fix: 'Nothing, usually. If stops are often cut short, raise STOP_TIMEOUT_SECONDS or look at what made the work slow (the posting target).',
  },
  ALERT_CONFIG_INVALID: {
    severity: 'error', scope: 'config', retry: 'business',
    meaning: 'The alert settings (`alerts:` in partners/_gateway.yaml, or ALERT_WEBHOOK_URL, SMTP_URL, SMTP_HOST, ALERT_EMAIL_TO and the like) are incomplete or invalid: no alert can be sent until they are fixed (docs/alerts.md#configuration).',
    fix: 'Correct the setting the message names (it says what is expected), then run `edi alerts test`.',
  },
  ALERT_SEND_FAILED: {
    severity: 'warning', scope: 'connection', retry: 'transient',
    meaning: 'An alert could not be delivered through a channel (the webhook answered with an error or did not answer; the SMTP server refused or did not answer). When no channel took a digest, it is tried again at the next evaluation; the message never contains the webhook address or a password.',
    fix: 'Check the channel the message names (`edi alerts test` sends a test message to every channel) and its address, user and password.',
  },
} as const satisfies Record<string, CatalogEntry>;
