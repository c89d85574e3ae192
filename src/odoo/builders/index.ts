// Every outbound builder the gateway has, by document kind.
import { purchaseOrderBuilder } from './850-purchase-order.js';
import { purchaseOrderAckBuilder } from './855-purchase-order-ack.js';
import { shipNoticeBuilder } from './856-ship-notice.js';
import { invoiceBuilder } from './810-invoice.js';
import type { Builder, OutboundKind } from './types.js';

export const OUTBOUND_BUILDERS: readonly Builder<OutboundKind>[] = [purchaseOrderBuilder as Builder<OutboundKind>, purchaseOrderAckBuilder as Builder<OutboundKind>, shipNoticeBuilder as Builder<OutboundKind>, invoiceBuilder as Builder<OutboundKind>];
