// docs/errors.md as a pure function of the catalog, so the doc can never drift.
import { catalog } from './catalog.js';
import type { CatalogEntry } from './types.js';
import { remedyOfEntry } from './remedy.js';

function ackColumn(e: CatalogEntry): string {
  const a = e.ack ?? {};
  const parts: string[] = [];
  if (a.ta1) parts.push(`TA105 ${a.ta1}`);
  if (a.ak9) parts.push(`AK905 ${a.ak9}`);
  if (a.ak5) parts.push(`AK502 ${a.ak5}`);
  if (a.ak3) parts.push(`AK304 ${a.ak3}`);
  if (a.ak4) parts.push(`AK403 ${a.ak4}`);
  return parts.join(', ') || '-';
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderErrorsDoc(): string {
  const rows = Object.entries(catalog as Record<string, CatalogEntry>)
    .map(([code, e]) => `| \`${code}\` | ${e.severity} | ${e.scope} | ${cell(e.meaning)} | ${cell(e.fix)} | ${ackColumn(e)} | ${e.retry ?? '-'} | ${remedyOfEntry(e)} |`);
  return [
    '# Error catalog',
    '',
    'Every problem the gateway reports carries one of these stable codes. Generated from',
    '`src/errors/catalog.ts` by `npm run docs:errors`; do not edit by hand.',
    '',
    'Severity is the default: a partner setting can lower some errors to warnings.',
    'The acknowledgment column says which 997/999/TA1 code the finding feeds (999 uses IK3/IK4/IK5 with the same codes).',
    '',
    'The retry column says what the gateway does about an operational failure with the code:',
    '',
    '- `transient`: tried again with backoff; the same thing later may succeed without anyone acting.',
    '- `business`: a person must change data or configuration; not tried again (a document is rejected).',
    '- `auth`: credentials, keys or rights; tried again, so the work goes through once they are fixed.',
    '- `protocol`: our request or the other side is not what the gateway expects (a missing Odoo module,',
    '  an unexpected answer); tried again like `transient`, and worth reporting.',
    '',
    'The last column says what helps a document rejected or failed with the code (`edi docs show` prints it):',
    '',
    '- `partner`: only a corrected file from the partner; a replay would find the same problem.',
    '- `replay`: fix what the reason names here (Odoo data, a product mapping, the partner file, the settings), then replay.',
    '- `wait`: the gateway retries on its own; replay only if the document ended failed.',
    '- `none`: nothing to do (a warning, a repeat).',
    '',
    '| Code | Severity | Scope | Meaning | How to fix | Acknowledgment | Retry | What helps |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
