// Stable codes for problems found while reading the acknowledgments partners send us
// (997, 999, TA1). Spread into src/errors/catalog.ts next to the X12 codes.
import type { CatalogEntry } from '../types.js';

export const ackCodes = {
  ACK_STRUCTURE: {
    severity: 'error', scope: 'transaction',
    meaning: 'An inbound 997/999/TA1 does not follow the acknowledgment structure (for example AK4 without AK3, AK5 without AK2, no AK1 or no AK9).',
    fix: 'Tell the partner their acknowledgment is malformed; what it could be read for is still applied, the rest stays unacknowledged until a valid acknowledgment arrives.',
  },
  ACK_UNKNOWN_CODE: {
    severity: 'warning', scope: 'segment',
    meaning: 'An inbound acknowledgment uses a code that is not defined for its element (TA104/TA105, AK304, AK403, AK501/AK502, AK901/AK905).',
    fix: 'Nothing to do for the gateway; ask the partner what the code means if the acknowledgment is a rejection.',
  },
  ACK_INCONSISTENT: {
    severity: 'warning', scope: 'transaction',
    meaning: 'An inbound 997/999 contradicts itself (for example AK9 says accepted while an AK5 says rejected, or more sets accepted than received).',
    fix: 'The most cautious reading is applied (a set marked rejected anywhere counts as rejected); tell the partner.',
  },
  ACK_UNMATCHED: {
    severity: 'warning', scope: 'transaction',
    meaning: 'An inbound 997/999 acknowledges a group (AK102) or a set (AK202), or an inbound TA1 an interchange (TA101), that matches nothing we sent to that partner: no outbound document of the partner carries that GS06 and ST02, or that ISA13.',
    fix: 'Nothing changes on our side; check that the partner answers the right group and set control numbers (or acknowledges what another system sent), and tell the partner if not.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type AckCode = keyof typeof ackCodes;
