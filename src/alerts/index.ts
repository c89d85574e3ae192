// Alerts by webhook and e-mail: rules as data, digests per rule and period (docs/alerts.md).
export { alertSettings, ruleSettings, AlertConfigError, type AlertSettings, type EmailChannel, type WebhookChannel, type RuleSettings } from './config.js';
export { evaluateAlerts, sendToChannels, describeChannels, startAlertLoop, type AlertLoop, type RuleOutcome, type ChannelResult } from './engine.js';
export { renderDigest, testMessage, type Digest, type Message } from './message.js';
export { RULES, type AlertItem } from './rules.js';
export { sendMail } from './smtp.js';
export { sendWebhook } from './webhook.js';
