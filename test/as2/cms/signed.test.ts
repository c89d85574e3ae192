import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CmsError, contentTypeOf, sign, verify, type DigestAlgorithm } from '../../../src/as2/cms/index.js';
import { flipBit, makeIdentity, openssl, tempDir, type TempDir, type TestIdentity } from './openssl.js';
import { thrown } from '../thrown.js';

const DIGESTS: DigestAlgorithm[] = ['sha1', 'sha256', 'sha384', 'sha512'];

let dir: TempDir;
let alice: TestIdentity;
let bob: TestIdentity;
const content = Buffer.concat([Buffer.from('ISA*00*          *00*          *ZZ*SENDER\r\n'), randomBytes(3000), Buffer.from([0, 0xff, 0x0d, 0x0a])]);

beforeAll(() => {
  dir = tempDir();
  alice = makeIdentity(dir, 'alice');
  bob = makeIdentity(dir, 'bob', { subject: '/CN=Bob Partner/O=Bob Corp' });
});
afterAll(() => dir.remove());

const caught = (run: () => unknown): CmsError => thrown(CmsError, run);

/** openssl cms -sign (detached, binary) with extra options, read back as DER. */
function opensslSign(signer: TestIdentity, extra: string[]): Buffer {
  const data = dir.file('to-sign.bin', content);
  const out = dir.file('openssl-sig.der');
  openssl(['cms', '-sign', '-binary', '-in', data, '-signer', signer.certPath, '-inkey', signer.keyPath, '-outform', 'DER', '-out', out, ...extra]);
  return readFileSync(out);
}

describe('sign and verify', () => {
  it.each(DIGESTS)('round-trips a detached %s signature and reports the digest and signer', (algorithm) => {
    const signature = sign(content, alice.pair, algorithm);
    expect(contentTypeOf(signature)).toBe('signed');
    const result = verify(content, signature, [bob.pair.certificate, alice.pair.certificate]);
    expect(result.digest).toBe(algorithm);
    expect(result.signer.fingerprint256).toBe(alice.pair.certificate.fingerprint256);
  });

  it.each(DIGESTS)('makes %s signatures that openssl cms verifies against the signer certificate', (algorithm) => {
    const sig = dir.file(`ours-${algorithm}.der`, sign(content, alice.pair, algorithm));
    const data = dir.file('signed-content.bin', content);
    const out = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data, '-CAfile', alice.certPath, '-purpose', 'any']);
    expect(out.equals(content)).toBe(true);
    // openssl reads the digest algorithm we wrote.
    const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', sig]).toString();
    expect(printed).toContain(algorithm === 'sha1' ? 'sha1' : algorithm);
    expect(printed).toMatch(/signingTime/);
  });

  it('openssl refuses our signature over other bytes (the check above is not vacuous)', () => {
    const sig = dir.file('ours-other.der', sign(content, alice.pair, 'sha256'));
    const data = dir.file('other-content.bin', Buffer.from('something else'));
    expect(() => openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data, '-CAfile', alice.certPath, '-purpose', 'any'])).toThrow();
  });

  it.each(DIGESTS)('verifies a detached %s signature made by openssl cms', (algorithm) => {
    const result = verify(content, opensslSign(bob, ['-md', algorithm]), [bob.pair.certificate]);
    expect(result.digest).toBe(algorithm);
    expect(result.signer.subject).toContain('Bob Partner');
  });

  it('verifies an openssl signature without signed attributes and an RSASSA-PSS one', () => {
    expect(verify(content, opensslSign(bob, ['-md', 'sha256', '-noattr']), [bob.pair.certificate]).digest).toBe('sha256');
    expect(verify(content, opensslSign(bob, ['-md', 'sha512', '-keyopt', 'rsa_padding_mode:pss']), [bob.pair.certificate]).digest).toBe('sha512');
  });

  it('verifies an openssl signature that names its signer by subject key identifier (-keyid)', () => {
    expect(verify(content, opensslSign(bob, ['-md', 'sha256', '-keyid']), [alice.pair.certificate, bob.pair.certificate]).signer.subject).toContain('Bob Partner');
  });

  it('fails on changed content with AS2_SIGNATURE_INVALID', () => {
    const signature = sign(content, alice.pair, 'sha256');
    const error = caught(() => verify(flipBit(content, 100), signature, [alice.pair.certificate]));
    expect(error.code).toBe('AS2_SIGNATURE_INVALID');
    expect(error.kind).toBe('signature');
    expect(error.message).toMatch(/digest does not match/);
  });

  it('fails on a changed signature value with AS2_SIGNATURE_INVALID', () => {
    const good = sign(content, alice.pair, 'sha256');
    const signature = flipBit(good, good.length - 10, 0x40); // inside the RSA signature, the last field
    const error = caught(() => verify(content, signature, [alice.pair.certificate]));
    expect(error.code).toBe('AS2_SIGNATURE_INVALID');
    expect(error.message).toMatch(/does not verify/);
  });

  it('fails on a signature by another certificate, naming the signer and the expected one', () => {
    const error = caught(() => verify(content, opensslSign(bob, ['-md', 'sha256']), [alice.pair.certificate]));
    expect(error.code).toBe('AS2_SIGNER_UNEXPECTED');
    expect(error.message).toContain('signed by "CN=Bob Partner, O=Bob Corp"');
    expect(error.message).toContain(`serial ${bob.pair.certificate.serialNumber}`);
    expect(error.message).toContain(`expected "CN=alice, O=AS2 test" serial ${alice.pair.certificate.serialNumber}`);
  });

  it('names the signer by its identifier when the signature carries no certificate', () => {
    const error = caught(() => verify(content, opensslSign(bob, ['-md', 'sha256', '-nocerts']), [alice.pair.certificate]));
    expect(error.code).toBe('AS2_SIGNER_UNEXPECTED');
    expect(error.message).toContain(`serial ${bob.pair.certificate.serialNumber}`);
    expect(error.message).toContain('of issuer "Bob Partner, Bob Corp"');
  });

  it('verifies against the pinned certificate even when the signature carries none', () => {
    expect(verify(content, opensslSign(bob, ['-md', 'sha1', '-nocerts']), [bob.pair.certificate]).digest).toBe('sha1');
  });

  it('fails on truncated or foreign DER with AS2_CMS_MALFORMED', () => {
    const signature = sign(content, alice.pair, 'sha256');
    expect(caught(() => verify(content, signature.subarray(0, signature.length - 7), [alice.pair.certificate])).code).toBe('AS2_CMS_MALFORMED');
    expect(caught(() => verify(content, Buffer.from('not der at all'), [alice.pair.certificate])).code).toBe('AS2_CMS_MALFORMED');
    expect(caught(() => verify(content, Buffer.concat([signature, Buffer.from([0])]), [alice.pair.certificate])).message).toMatch(/after its end/);
  });
});
