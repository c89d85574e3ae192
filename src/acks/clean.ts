// Values copied from received data into our acknowledgments (AK404, TA101-103) are
// written with OUR delimiters: a partner using | as element separator may legitimately
// send * in its data. Characters that would break our segments (delimiters) or fail
// our own validation (control characters) are dropped.
import type { Delimiters } from '../x12/model.js';

/** Our default delimiters, used when the caller does not say which ones it writes with. */
const fallback = ['*', '>', '~', '^'];

export function echoCleaner(d: Delimiters | undefined, maxLength: number): (value: string) => string {
  const forbidden = new Set(d ? [d.element, d.component, d.segment, d.repetition ?? ''] : fallback);
  forbidden.delete('');
  return (value) => {
    let out = '';
    for (const ch of value) {
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code === 0x7f || forbidden.has(ch)) continue;
      out += ch;
    }
    out = out.slice(0, maxLength);
    return out.trim() === '' ? '' : out;
  };
}
