// Migration 7: deliveries outside long transactions. The delivery stage claims an entry (file name
// fixed, try counted) in a short transaction, uploads with no transaction open, then records the
// outcome in another short one. While it uploads, the row holds a lease (who, until when) instead
// of a row lock: a sweep skips an entry whose lease still runs, and takes it over once the lease ran
// out (its holder died), re-using the fixed file name to find what the first upload left.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const deliveryLease: Migration = {
  version: 7,
  description: 'outbound delivery lease: holder and expiry',
  up: [
    `ALTER TABLE outbound
       ADD COLUMN lease_holder text,
       ADD COLUMN lease_expires_at timestamptz`,
  ],
};
