// Stable codes for built-in AS2 (RFC 4130): the CMS/S-MIME layer (signatures, encryption,
// compression, keys and certificates) and the AS2 message and MDN layers. Spread into
// src/errors/catalog.ts. Messages of these codes never carry key material.
import type { CatalogEntry } from '../types.js';

export const as2Codes = {
  AS2_DECRYPT_FAILED: {
    severity: 'error', scope: 'file', retry: 'auth',
    meaning: 'An encrypted AS2 message cannot be decrypted with our private key: it was encrypted for another certificate (an old one of ours), or it is damaged. The reason is deliberately the same in every case.',
    fix: 'Check with the partner which of our certificates they encrypt to; give them the current one, or configure the key that belongs to the certificate they use.',
  },
  AS2_SIGNATURE_INVALID: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'The signature of an AS2 message or MDN does not match its content: the content changed on the way, or the signature is broken.',
    fix: 'Ask the partner to send the message again; if it keeps failing, compare how their software signs (binary content, no line-ending conversion).',
  },
  AS2_SIGNER_UNEXPECTED: {
    severity: 'error', scope: 'config', retry: 'auth',
    meaning: "An AS2 message or MDN is signed by a certificate other than the partner's configured one (the message names the signer and the expected certificates).",
    fix: "If the partner renewed their certificate, get it from them out of band and add it to the partner file; otherwise refuse the message.",
  },
  AS2_CMS_MALFORMED: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'A CMS structure (signature, encrypted or compressed content) is not valid DER or lacks a part it needs.',
    fix: 'Ask the partner to send the message again; if it keeps failing, ask which AS2 software and settings they use.',
  },
  AS2_ALGORITHM_UNSUPPORTED: {
    severity: 'error', scope: 'config', retry: 'business',
    meaning: 'An AS2 message or setting uses an algorithm the gateway does not support (the message names it).',
    fix: 'Agree with the partner on a supported one: SHA-1/256/384/512 signatures, AES-CBC or AES-GCM or 3DES encryption, RSA (PKCS#1 v1.5 or OAEP) key transport.',
  },
  AS2_KEY_UNUSABLE: {
    severity: 'error', scope: 'config', retry: 'auth',
    meaning: 'A certificate, private key or PKCS#12 file for AS2 cannot be read or used (wrong format, wrong password, not RSA, or the key does not belong to the certificate).',
    fix: 'Check the file and password the partner file names; the message says what was wrong. The key or password itself is never shown.',
  },
  AS2_DECOMPRESS_FAILED: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'Compressed AS2 content cannot be inflated: it is damaged, or it would inflate beyond the size limit.',
    fix: 'Ask the partner to send the message again; if it is really that large, ask them to send it uncompressed or in smaller files.',
  },
  // ---- MIME, messages, MDNs (src/as2/mime, message.ts, mdn.ts, headers.ts) ----
  AS2_MIME_MALFORMED: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'An AS2 message is not valid MIME: headers without the blank line after them, too many or too large headers, a multipart without its boundary or its closing boundary, a bad transfer encoding (the message names what and the byte offset).',
    fix: 'Ask the partner to send the message again; if it keeps failing, ask which AS2 software they use and compare its MIME with RFC 2045/2046.',
  },
  AS2_SECURITY_INSUFFICIENT: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'An AS2 message lacks the signature or the encryption the partner file requires for it.',
    fix: 'Ask the partner to sign and encrypt as agreed, or change what the partner file requires.',
  },
  AS2_MESSAGE_UNEXPECTED: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'An AS2 message has a structure the gateway does not process (for example an opaque signature, or more nested security layers than allowed); the MDN reports unexpected-processing-error.',
    fix: 'Ask the partner to send multipart/signed signatures and at most one layer each of encryption, signing and compression.',
  },
  AS2_MDN_MALFORMED: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'An MDN (AS2 receipt) is not a multipart/report with a message/disposition-notification part holding Original-Message-ID and Disposition, or a synchronous MDN answers another Message-ID than the message it came back for.',
    fix: "Ask the partner which AS2 software they use; the message's delivery stays unconfirmed until a valid MDN arrives.",
  },
  AS2_ID_INVALID: {
    severity: 'error', scope: 'config', retry: 'business',
    meaning: 'An AS2 identifier (AS2-From, AS2-To) is empty, longer than 128 characters or holds characters other than printable ASCII.',
    fix: 'Correct the AS2 identifier in the partner file, or ask the partner what identifier they send.',
  },
  // ---- receiving and sending (src/jobs/as2-*.ts, src/http/as2.ts, src/transports/as2) ----
  AS2_REQUEST_INVALID: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'A POST to /as2/<id> is not an AS2 message: AS2-From, AS2-To, Message-ID or Content-Type is missing or invalid, or AS2-To is not the id in the URL. It is answered 400 without an MDN.',
    fix: 'Give the partner the URL and AS2 ids from the console (Partners, AS2) or docs/as2.md; ask them to check their AS2 settings.',
  },
  AS2_PARTNER_UNKNOWN: {
    severity: 'error', scope: 'config', retry: 'business', remedy: 'replay',
    meaning: 'An AS2 message came from an AS2-From / AS2-To pair that no partner file names; it is kept and answered with an MDN saying authentication-failed.',
    fix: 'If the sender is a partner, set transport.as2Id (and us.id) in its partner file to the ids the message names, then ask them to send it again.',
  },
  AS2_MESSAGE_TOO_LARGE: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'partner',
    meaning: 'An AS2 message is larger than as2.maxMessageBytes; it is refused (HTTP 413) before its body is read.',
    fix: 'Ask the partner to send smaller files, or raise as2.maxMessageBytes in partners/_gateway.yaml.',
  },
  AS2_SEND_FAILED: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: "An AS2 message or asynchronous MDN could not be POSTed to the partner's URL (no connection, no answer in time, an answer too large, or an HTTP error status).",
    fix: "Nothing while retries last; otherwise check transport.url with the partner and their server's state.",
  },
  AS2_MDN_NEGATIVE: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'replay',
    meaning: "The partner's MDN for a message we sent reports an error (its disposition, e.g. decryption-failed or authentication-failed, and its text are quoted): the partner did not take the document.",
    fix: 'Fix what the MDN names with the partner (usually certificates or algorithms in the partner file), then send it again (edi resend).',
  },
  AS2_MIC_MISMATCH: {
    severity: 'error', scope: 'file', retry: 'business', remedy: 'replay',
    meaning: "The MIC in the partner's MDN is not the one of the message we sent: the partner received something else than we sent, so the receipt proves nothing.",
    fix: 'Send it again (edi resend); if it keeps happening, compare the MIC algorithm and canonicalization with the partner.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type As2Code = keyof typeof as2Codes;
