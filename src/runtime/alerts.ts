// The alert loop as the runtime starts it: settings from partners/_gateway.yaml and the environment,
// read again after a reload of the partner files (docs/alerts.md).
import { alertSettings, describeChannels, startAlertLoop, type AlertLoop, type AlertSettings } from '../alerts/index.js';
import { messageOf } from '../errors/failure.js';
import type { Logger } from '../logging/logger.js';
import type { Env } from '../partners/secrets.js';
import type { GatewaySettings, PartnerDirectory } from '../partners/types.js';
import type { Conn } from '../store/index.js';

/**
 * The alert loop; it runs with no channel configured too (it then sends nothing), so a reload of
 * _gateway.yaml can switch alerts on. Throws AlertConfigError when the settings are invalid at the start.
 */
export function alertLoop(deps: { db: Conn; partners: PartnerDirectory; env: Env; log: Logger }): AlertLoop {
  const first = alertSettings(deps.partners.gateway(), deps.env);
  let seen: { gateway: GatewaySettings; settings: AlertSettings | undefined } = { gateway: deps.partners.gateway(), settings: first };
  if (!first.enabled) {
    deps.log.debug({}, 'alerts off: no webhook or e-mail configured (docs/alerts.md)');
  } else {
    deps.log.info({ channels: describeChannels(first), everySeconds: first.intervalSeconds }, 'alerts on');
  }
  return startAlertLoop({
    db: deps.db, partners: deps.partners, log: deps.log,
    settings: () => {
      const gateway = deps.partners.gateway();
      if (gateway !== seen.gateway) {
        try {
          seen = { gateway, settings: alertSettings(gateway, deps.env) };
        } catch (error) {
          deps.log.warn({ code: 'ALERT_CONFIG_INVALID' }, `alerts paused: ${messageOf(error)}`);
          seen = { gateway, settings: undefined };
        }
      }
      return seen.settings;
    },
  });
}
