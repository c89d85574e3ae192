// Stable codes for what goes wrong posting to Odoo: the client's faults, sorted by what the
// gateway does about them (retry), and the postings' business refusals. Spread into
// src/errors/catalog.ts.
import type { CatalogEntry } from '../types.js';

export const odooCodes = {
  // ---- the client: network and server --------------------------------------
  ODOO_UNREACHABLE: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: 'Odoo could not be reached (connection refused or reset, unknown host, TLS failure); the call is retried with backoff.',
    fix: 'Nothing while retries last; otherwise check ODOO_URL, that Odoo runs and that the gateway host can reach it.',
  },
  ODOO_TIMEOUT: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: 'Odoo did not answer a call within ODOO_TIMEOUT_SECONDS (default 30); the call is retried with backoff.',
    fix: 'Nothing while retries last; if it keeps happening, look at the load of the Odoo server or raise ODOO_TIMEOUT_SECONDS.',
  },
  ODOO_SERVER_ERROR: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: 'Odoo or a proxy in front of it answered with a server error (HTTP 5xx, 429) that is not about our request; the call is retried with backoff.',
    fix: 'Nothing while retries last; otherwise read the Odoo server log at the time of the call.',
  },
  ODOO_CONCURRENCY: {
    severity: 'error', scope: 'document', retry: 'transient',
    meaning: 'Odoo gave up on a concurrent update (serialization failure, deadlock, record lock); the call is retried with backoff.',
    fix: 'Nothing to do: it clears once the other transaction ends; if it never does, look for a long-running job in Odoo.',
  },
  // ---- the client: what a person must act on -------------------------------
  ODOO_REFUSED: {
    severity: 'error', scope: 'document', retry: 'business',
    meaning: "Odoo refused the operation with a ValidationError, UserError or MissingError; the document is rejected with Odoo's message.",
    fix: "Fix in Odoo what Odoo's message names (a required field, a rule, a deleted record), then replay the document.",
  },
  ODOO_ACCESS_DENIED: {
    severity: 'error', scope: 'config', retry: 'auth',
    meaning: 'Odoo refused our credentials or the rights of our user (AccessDenied, AccessError, HTTP 401/403, an expired session); the call is retried.',
    fix: 'Check ODOO_DB, ODOO_USERNAME and ODOO_API_KEY (an API key of that user), and the user\'s access rights; the next try then succeeds.',
  },
  ODOO_UNKNOWN_MODEL: {
    severity: 'error', scope: 'config', retry: 'protocol',
    meaning: 'Odoo does not know a model or method the gateway calls: a module is not installed (sale, purchase, stock, account) or the Odoo version is not the one expected.',
    fix: 'Install the module the message names (or set ODOO_VERSION right); retries and replays then go through.',
  },
  ODOO_UNEXPECTED_ANSWER: {
    severity: 'error', scope: 'config', retry: 'protocol',
    meaning: 'Odoo answered in a way the gateway does not expect (not JSON, no JSON-2 API, an HTTP 4xx, a Python error about our arguments, no version).',
    fix: 'Check that ODOO_URL points at Odoo itself and ODOO_API suits its version; if it does, report the message with the Odoo version.',
  },
  ODOO_CONFIG_INVALID: {
    severity: 'error', scope: 'config', retry: 'business',
    meaning: 'The Odoo settings in the environment (ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY or ODOO_API_KEY_FILE, ODOO_API, ODOO_VERSION...) are incomplete or invalid; the gateway does not start.',
    fix: 'Set what the message names (or unset ODOO_URL to post to the recording target), then start again.',
  },
  // ---- the postings: business refusals --------------------------------------
  ODOO_MASTER_DATA_GAP: {
    severity: 'error', scope: 'document', retry: 'business',
    meaning: 'What the document names is not in Odoo, or not once (a contact, address, product, unit, purchase order, order line or receipt).',
    fix: 'Create or map what the message names (npx edi products map for products, odoo: in the partner file for units and contacts), then replay the document.',
  },
  ODOO_ORDER_STATE: {
    severity: 'error', scope: 'document', retry: 'business',
    meaning: 'The Odoo order is in a state the gateway does not change by itself (a replacement of a confirmed order, a cancellation after goods were delivered).',
    fix: 'Apply the change in Odoo by hand (or bring the order back to a state the gateway handles), then cancel or replay the document.',
  },
  ODOO_PRICE_MISMATCH: {
    severity: 'error', scope: 'document', retry: 'business',
    meaning: "A line's EDI price differs from the Odoo price by more than the partner's tolerance (odoo.prices.policy: reject).",
    fix: 'Agree the price with the partner and correct the Odoo price or the tolerance (odoo.prices.tolerancePercent), then replay the document.',
  },
  ODOO_PRICE_MISSING: {
    severity: 'error', scope: 'document', retry: 'business',
    meaning: "An order line carries no price the gateway may use (no PO104, no CTP with a usable price) and the partner's file requires one (odoo.prices.missing: reject).",
    fix: 'Ask the partner to send the price (PO104, or a CTP segment with CTP02 NET, CON, PRP, UCP, DIS or CAT) and replay the corrected file, or set odoo.prices.missing: list-price to let Odoo price such lines, then replay the document.',
  },
  ODOO_PURPOSE_NOT_AUTOMATED: {
    severity: 'error', scope: 'document', retry: 'business',
    meaning: 'The purchase order has a purpose (BEG01) the gateway does not post by itself (only original, confirmation, cancellation, replace and duplicate are).',
    fix: 'Handle the order in Odoo by hand, then cancel the document.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type OdooCode = keyof typeof odooCodes;
