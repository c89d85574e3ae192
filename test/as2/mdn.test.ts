import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CmsError } from '../../src/as2/cms/index.js';
import { buildMdn, dispositionField, parseDisposition, parseDispositionNotificationOptions, parseMdn } from '../../src/as2/mdn.js';
import { packMessage, unpackMessage } from '../../src/as2/message.js';
import { micMatches } from '../../src/as2/mic.js';
import { parseEntity, splitMultipart, parseContentType } from '../../src/as2/mime/index.js';
import { isGatewayError } from '../../src/errors/failure.js';
import { makeIdentity, openssl, tempDir } from './cms/openssl.js';

const dir = tempDir('as2-mdn-');
afterAll(() => dir.remove());
const sender = makeIdentity(dir, 'sender');
const receiver = makeIdentity(dir, 'receiver');

const base = {
  originalMessageId: '<abc.123@sender.example>',
  reportingUa: 'edi-gateway 0.1.0',
  originalRecipient: 'RECEIVER CO',
  finalRecipient: 'RECEIVER CO',
  humanText: 'The message was received.\nThank you.',
};

describe('building and reading MDNs', () => {
  it('an unsigned MDN: multipart/report with the human text and the notification fields', () => {
    const mdn = buildMdn({ ...base, disposition: { type: 'processed' }, receivedContentMic: { algorithm: 'sha-256', value: 'q1w2e3==' } });
    const type = parseContentType(mdn.contentType);
    expect(type.value).toBe('multipart/report');
    expect(type.params['report-type']).toBe('disposition-notification');
    const [text, notification] = splitMultipart(mdn.body, type.params['boundary']);
    expect(text!.body.toString()).toBe('The message was received.\r\nThank you.');
    expect(notification!.headers.get('content-type')).toBe('message/disposition-notification');
    expect(notification!.body.toString()).toBe([
      'Reporting-UA: edi-gateway 0.1.0', 'Original-Recipient: rfc822; "RECEIVER CO"', 'Final-Recipient: rfc822; "RECEIVER CO"',
      'Original-Message-ID: <abc.123@sender.example>', 'Disposition: automatic-action/MDN-sent-automatically; processed',
      'Received-Content-MIC: q1w2e3==, sha-256', '',
    ].join('\r\n'));
    const parsed = parseMdn(mdn.contentType, mdn.body, { partnerCertificates: [] });
    expect(parsed).toMatchObject({
      originalMessageId: '<abc.123@sender.example>', ok: true, signed: false,
      mic: { algorithm: 'sha-256', value: 'q1w2e3==' }, humanText: 'The message was received.\r\nThank you.',
      disposition: { mode: 'automatic-action/MDN-sent-automatically', type: 'processed' },
    });
    expect(parsed.disposition).not.toHaveProperty('modifier');
    expect(parsed.fields['Reporting-UA']).toBe('edi-gateway 0.1.0');
  });

  it('dispositions: processed, processed/error and /warning with their text, failed/Failure; ok only without error', () => {
    const cases = [
      [{ type: 'processed', modifier: 'error', text: 'decryption-failed' }, 'processed/error: decryption-failed', false],
      [{ type: 'processed', modifier: 'warning', text: 'duplicate-document' }, 'processed/warning: duplicate-document', true],
      [{ type: 'failed', text: 'unsupported format\r\nInjected: x' }, 'failed/Failure: unsupported format Injected: x', false],
    ] as const;
    for (const [disposition, field, ok] of cases) {
      expect(dispositionField(disposition)).toBe(`automatic-action/MDN-sent-automatically; ${field}`);
      const mdn = buildMdn({ ...base, disposition });
      const parsed = parseMdn(mdn.contentType, mdn.body, { partnerCertificates: [] });
      expect(parsed.ok, field).toBe(ok);
      expect(parsed.disposition.type).toBe(disposition.type);
      expect(parsed).not.toHaveProperty('mic');
      expect(parsed.fields).not.toHaveProperty('Injected');
    }
  });

  it('reads dispositions the way partners write them', () => {
    expect(parseDisposition('Automatic-Action/MDN-Sent-Automatically;  Processed / Error : authentication-failed')).toEqual({
      text: 'Automatic-Action/MDN-Sent-Automatically;  Processed / Error : authentication-failed',
      mode: 'Automatic-Action/MDN-Sent-Automatically', type: 'processed', modifier: 'error', description: 'authentication-failed',
    });
    expect(parseDisposition('automatic-action/MDN-sent-automatically; failed/Failure: unsupported MIC-algorithms')).toMatchObject({ type: 'failed', modifier: 'failure', description: 'unsupported MIC-algorithms' });
    expect(() => parseDisposition('processed')).toThrow(/no ";"/);
  });

  it('reads a foreign MDN: LF line ends, quoted boundary, base64 notification part, no human text', () => {
    const body = Buffer.from([
      '--"odd"', '', '--odd', 'Content-Type: message/disposition-notification', 'Content-Transfer-Encoding: base64', '',
      Buffer.from('Original-Message-ID: <m1@x>\r\nDisposition: automatic-action/MDN-sent-automatically; processed\r\nReceived-Content-MIC: AbC=,SHA256\r\n').toString('base64'),
      '--odd--', '',
    ].join('\n'));
    const parsed = parseMdn('multipart/report; Report-Type=disposition-notification; boundary="odd"', body, { partnerCertificates: [] });
    expect(parsed).toMatchObject({ originalMessageId: '<m1@x>', ok: true, mic: { value: 'AbC=', algorithm: 'sha256' }, humanText: '' });
    expect(micMatches(parsed.mic, { algorithm: 'sha-256', value: 'AbC=' })).toBe(true);
  });

  it('refuses what is not an MDN', () => {
    const code = (fn: () => unknown) => {
      try { fn(); } catch (e) { return isGatewayError(e) ? e.code : String(e); }
      return 'no error';
    };
    expect(code(() => parseMdn('text/plain', Buffer.from('hi'), { partnerCertificates: [] }))).toBe('AS2_MDN_MALFORMED');
    const noFields = Buffer.from('--b\r\nContent-Type: message/disposition-notification\r\n\r\nReporting-UA: x\r\n--b--\r\n');
    expect(code(() => parseMdn('multipart/report; boundary=b', noFields, { partnerCertificates: [] }))).toBe('AS2_MDN_MALFORMED');
    expect(code(() => parseMdn('multipart/report; boundary=b', Buffer.from('--b\r\n\r\nx'), { partnerCertificates: [] }))).toBe('AS2_MIME_MALFORMED');
  });

  it('a signed MDN verifies against the partner certificate, and fails against another or when changed', () => {
    const mdn = buildMdn({ ...base, disposition: { type: 'processed' }, sign: { keyPair: receiver.pair, digest: 'sha256' } });
    expect(mdn.contentType).toMatch(/^multipart\/signed; protocol="application\/pkcs7-signature"; micalg=sha-256; boundary=/);
    const parsed = parseMdn(mdn.contentType, mdn.body, { partnerCertificates: [receiver.pair.certificate] });
    expect(parsed.signed).toBe(true);
    expect(parsed.ok).toBe(true);
    expect(() => parseMdn(mdn.contentType, mdn.body, { partnerCertificates: [sender.pair.certificate] })).toThrow(CmsError);
    const tampered = Buffer.from(Buffer.from(mdn.body).toString('latin1').replace('; processed', '; processed/error: x'), 'latin1');
    expect(() => parseMdn(mdn.contentType, tampered, { partnerCertificates: [receiver.pair.certificate] })).toThrow(CmsError);
  });
});

describe('the MDN exchange end to end, with openssl checking the signature', () => {
  it("the receiver's MDN carries the MIC the sender computed; openssl verifies the signed MDN", () => {
    const options = parseDispositionNotificationOptions('signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256, sha1');
    const packed = packMessage(Buffer.from('ISA*00~\r\nIEA*1*1~\r\n'), { sign: { keyPair: sender.pair, digest: 'sha256' }, encrypt: { certificate: receiver.pair.certificate, cipher: 'aes256-cbc', keyTransport: 'rsa-oaep' } });
    const got = unpackMessage(packed.contentType, packed.body, { ourKeys: [receiver.pair], partnerCertificates: [sender.pair.certificate], micAlgorithms: options.micAlgorithms });
    const mdn = buildMdn({ ...base, disposition: { type: 'processed' }, receivedContentMic: got.mic, sign: { keyPair: receiver.pair, digest: 'sha256' } });

    const file = dir.file('mdn.msg', Buffer.concat([Buffer.from(`MIME-Version: 1.0\r\nContent-Type: ${mdn.contentType}\r\n\r\n`), mdn.body]));
    const report = openssl(['cms', '-verify', '-noverify', '-certfile', receiver.certPath, '-in', file]);
    const reportEntity = parseEntity(report);
    expect(reportEntity.headers.get('content-type')).toMatch(/^multipart\/report; report-type=disposition-notification; boundary=/);
    const notification = splitMultipart(reportEntity.body, parseContentType(reportEntity.headers.get('content-type')!).params['boundary'])[1]!;
    const micLine = notification.body.toString('latin1').split('\r\n').find((l) => l.startsWith('Received-Content-MIC: '));
    expect(micLine).toBe(`Received-Content-MIC: ${packed.mic.value}, sha-256`);

    const parsed = parseMdn(mdn.contentType, mdn.body, { partnerCertificates: [receiver.pair.certificate] });
    expect(micMatches(parsed.mic, packed.mic)).toBe(true);
    expect(parsed.originalMessageId).toBe(base.originalMessageId);
  });

  it('compares MICs by meaning: algorithm spellings, white space; a different digest or value never matches', () => {
    const value = createHash('sha1').update('x').digest('base64');
    expect(micMatches({ algorithm: 'SHA1', value: ` ${value}` }, { algorithm: 'sha-1', value })).toBe(true);
    expect(micMatches({ algorithm: 'sha1', value }, { algorithm: 'sha-256', value })).toBe(false);
    expect(micMatches({ algorithm: 'sha1', value }, { algorithm: 'sha1', value: 'AAAA' })).toBe(false);
    expect(micMatches({ algorithm: 'md5', value }, { algorithm: 'md5', value })).toBe(false);
    expect(micMatches(undefined, { algorithm: 'sha1', value })).toBe(false);
  });
});

describe('Disposition-Notification-Options', () => {
  it('reads the signed-receipt protocol and MIC algorithms, in any case and spacing', () => {
    expect(parseDispositionNotificationOptions('signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256, sha1'))
      .toEqual({ signedReceipt: true, micAlgorithms: ['sha-256', 'sha1'] });
    expect(parseDispositionNotificationOptions('Signed-Receipt-Protocol = required,PKCS7-Signature;Signed-Receipt-MICalg=required,SHA1'))
      .toEqual({ signedReceipt: true, micAlgorithms: ['sha1'] });
    expect(parseDispositionNotificationOptions(undefined)).toEqual({ signedReceipt: false, micAlgorithms: [] });
    expect(parseDispositionNotificationOptions('signed-receipt-protocol=optional, pgp-signature')).toEqual({ signedReceipt: false, micAlgorithms: [] });
  });
});
