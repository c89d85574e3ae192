// Every migration, in order. Append only.
import type { Migration } from '../migrations.js';
import { initial } from './001-initial.js';
import { pipeline } from './002-pipeline.js';
import { partners } from './003-partners.js';
import { odoo } from './004-odoo.js';
import { delivery } from './005-delivery.js';
import { postingLease } from './006-posting-lease.js';
import { deliveryLease } from './007-delivery-lease.js';
import { repeatKey } from './008-repeat-key.js';
import { splitProgress } from './009-split-progress.js';
import { outboundDocuments } from './010-outbound-documents.js';
import { outboundInterchangeIndex } from './011-outbound-interchange-index.js';
import { documentNumbers } from './012-document-numbers.js';
import { access } from './013-access.js';
import { documentListIndexes } from './014-document-list-indexes.js';
import { outboundPoNumber } from './015-outbound-po-number.js';
import { replayBatches } from './016-replay-batches.js';
import { alerts } from './017-alerts.js';
import { masterDataMap } from './018-master-data-map.js';
import { as2Messages } from './019-as2-messages.js';

export const migrations: readonly Migration[] = [initial, pipeline, partners, odoo, delivery, postingLease, deliveryLease, repeatKey, splitProgress, outboundDocuments, outboundInterchangeIndex, documentNumbers, access, documentListIndexes, outboundPoNumber, replayBatches, alerts, masterDataMap, as2Messages];
