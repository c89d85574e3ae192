// A CompressedData (RFC 3274) made with asn1js alone, independent of the gateway's compress(): the
// second implementation compressed AS2 content is checked against.
import * as asn1js from 'asn1js';

export const ZLIB = '1.2.840.113549.1.9.16.3.8';
export const COMPRESSED_DATA = '1.2.840.113549.1.9.16.1.9';
export const DATA = '1.2.840.113549.1.7.1';

/** A CompressedData built here with asn1js alone (RFC 3274), independent of compress(). */
export function handMade(deflated: Uint8Array, options: { algorithm?: string; chunk?: number } = {}): Uint8Array {
  const octets = options.chunk
    ? new asn1js.OctetString({
      isConstructed: true, idBlock: { isConstructed: true }, lenBlock: { isIndefiniteForm: true },
      value: Array.from({ length: Math.ceil(deflated.length / options.chunk) }, (_, i) =>
        new asn1js.OctetString({ valueHex: deflated.subarray(i * options.chunk!, (i + 1) * options.chunk!) })),
    })
    : new asn1js.OctetString({ valueHex: deflated });
  return new Uint8Array(new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: COMPRESSED_DATA }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Sequence({
          value: [
            new asn1js.Integer({ value: 0 }),
            new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: options.algorithm ?? ZLIB })] }),
            new asn1js.Sequence({
              value: [
                new asn1js.ObjectIdentifier({ value: DATA }),
                new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [octets] }),
              ],
            }),
          ],
        })],
      }),
    ],
  }).toBER());
}
