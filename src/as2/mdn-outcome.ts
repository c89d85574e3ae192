// What a partner's MDN says about a message we sent (RFC 4130, section 7.4): taken, refused with its
// disposition, or a receipt for other bytes than ours (a MIC that does not match proves nothing).
import type { ErrorCode } from '../errors/catalog.js';
import type { ParsedMdn } from './mdn.js';
import { micMatches, type Mic } from './mic.js';

export type MdnOutcome =
  | { ok: true; summary: string }
  | { ok: false; code: Extract<ErrorCode, 'AS2_MDN_NEGATIVE' | 'AS2_MIC_MISMATCH'>; reason: string };

/** `sent`: the MIC of what we sent; `micRequired`: a MIC must come back (we asked for a signed receipt, or signed the message). */
export function judgeMdn(mdn: ParsedMdn, sent: Mic, micRequired: boolean): MdnOutcome {
  const d = mdn.disposition;
  if (!mdn.ok) {
    const words = [d.type + (d.modifier ? `/${d.modifier}` : ''), d.description].filter(Boolean).join(': ');
    const human = mdn.humanText.trim().replace(/\s+/g, ' ').slice(0, 300);
    return { ok: false, code: 'AS2_MDN_NEGATIVE', reason: `the partner's MDN says ${words}${human ? ` ("${human}")` : ''}` };
  }
  if (mdn.mic ? !micMatches(mdn.mic, sent) : micRequired) {
    const got = mdn.mic ? `${mdn.mic.value} (${mdn.mic.algorithm})` : 'none';
    return { ok: false, code: 'AS2_MIC_MISMATCH', reason: `the partner's MDN returns the MIC ${got}, we sent ${sent.value} (${sent.algorithm})` };
  }
  const warning = d.modifier === 'warning' ? ` with a warning${d.description ? `: ${d.description}` : ''}` : '';
  return { ok: true, summary: `MDN: processed${warning}${mdn.signed ? ', signed' : ''}${mdn.mic ? ', MIC matches' : ''}` };
}
