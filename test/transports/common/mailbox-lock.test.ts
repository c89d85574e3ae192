import { describe, expect, it } from 'vitest';
import { mailboxLockId, tryMailboxLock } from '../../../src/transports/common/mailbox-lock.js';
import { useTestDatabase } from '../../support/db.js';

const db = useTestDatabase({ migrate: false });

describe('mailbox lock', () => {
  it('lock ids differ by schema and mailbox and fit a bigint', () => {
    const a = mailboxLockId('s1', 'file:/in');
    expect(a).toBe(mailboxLockId('s1', 'file:/in'));
    expect(a).not.toBe(mailboxLockId('s2', 'file:/in'));
    expect(a).not.toBe(mailboxLockId('s1', 'file:/in2'));
    expect(BigInt(a) >= -(2n ** 63n) && BigInt(a) < 2n ** 63n).toBe(true);
  });

  it('one holder per mailbox across processes and within one; released, it can be taken again', async () => {
    const other = db.another(2);
    const first = await tryMailboxLock(db, 'file:/mailbox-a');
    expect(first).toBeDefined();
    expect(await tryMailboxLock(other, 'file:/mailbox-a')).toBeUndefined();
    // This process too: its one lock session would grant the key again (session locks are re-entrant).
    expect(await tryMailboxLock(db, 'file:/mailbox-a')).toBeUndefined();
    const b = await tryMailboxLock(other, 'file:/mailbox-b');
    expect(b).toBeDefined();
    await first!.release();
    await first!.release(); // twice is harmless
    const again = await tryMailboxLock(other, 'file:/mailbox-a');
    expect(again).toBeDefined();
    await again!.release();
    await b!.release();
  });
});
