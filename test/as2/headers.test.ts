import { describe, expect, it } from 'vitest';
import { as2Headers, newMessageId, readAs2Id } from '../../src/as2/headers.js';
import { isGatewayError } from '../../src/errors/failure.js';

const now = new Date('2026-12-07T22:16:00Z');

describe('AS2 HTTP headers', () => {
  it('a sync request for a signed MDN: identities, bracketed Message-ID, options naming the MIC digest', () => {
    expect(as2Headers({ from: 'US', to: 'Partner Co "EU"', messageId: 'a.1@us.example', subject: 'PO\r\n1', mdn: { mode: 'sync' }, mdnSigned: 'sha256', now })).toEqual({
      'AS2-Version': '1.2',
      'AS2-From': 'US',
      'AS2-To': '"Partner Co \\"EU\\""',
      'Message-ID': '<a.1@us.example>',
      'MIME-Version': '1.0',
      Date: 'Mon, 07 Dec 2026 22:16:00 GMT',
      Subject: 'PO 1',
      'Disposition-Notification-To': 'US',
      'Disposition-Notification-Options': 'signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256',
    });
  });

  it('an async request names the URL; no MDN asked, no MDN headers', () => {
    const h = as2Headers({ from: 'US', to: 'THEM', messageId: '<x@y>', mdn: { mode: 'async', url: 'https://us.example/as2/mdn' }, now });
    expect(h['Receipt-Delivery-Option']).toBe('https://us.example/as2/mdn');
    expect(h['Disposition-Notification-To']).toBe('https://us.example/as2/mdn');
    expect(h).not.toHaveProperty('Disposition-Notification-Options');
    const none = as2Headers({ from: 'US', to: 'THEM', messageId: '<x@y>', now });
    expect(Object.keys(none).filter((k) => k.startsWith('Disposition') || k.startsWith('Receipt'))).toEqual([]);
    expect(() => as2Headers({ from: 'US', to: 'THEM', messageId: '<a b>' })).toThrow(RangeError);
  });

  it('reads identities: unquoted, escapes undone; refuses empty, too long, non-printable', () => {
    expect(readAs2Id(' "Partner Co \\"EU\\"" ')).toBe('Partner Co "EU"');
    expect(readAs2Id('ACME')).toBe('ACME');
    expect(readAs2Id('x'.repeat(128))).toHaveLength(128);
    for (const bad of ['', '""', 'x'.repeat(129), 'tab\there', 'caf\u00e9']) {
      let code: string | undefined;
      try { readAs2Id(bad); } catch (e) { code = isGatewayError(e) ? e.code : String(e); }
      expect(code, JSON.stringify(bad)).toBe('AS2_ID_INVALID');
    }
  });

  it('a new Message-ID is bracketed, names the domain and is unique', () => {
    const a = newMessageId('us.example');
    expect(a).toMatch(/^<[0-9a-z]+\.[0-9a-f]{24}@us\.example>$/);
    expect(newMessageId('us.example')).not.toBe(a);
    expect(() => newMessageId('bad domain>')).toThrow(RangeError);
  });
});
