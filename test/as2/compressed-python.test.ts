// Compressed AS2 content against a second, independent implementation: Python's asn1crypto (Debian's
// python3-asn1crypto, which .ci/run installs) with zlib. Debian's openssl is built without zlib, so it
// cannot take this part. Both ways: a message whose compressed layer Python made is taken in by
// unpackMessage, and the compressed layer packMessage makes is opened by Python.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packMessage, unpackMessage } from '../../src/as2/index.js';
import { tempDir } from './cms/openssl.js';

const PYTHON = '/usr/bin/python3';

/** Why the test cannot run here, or undefined: skipped loudly then (.ci/run installs the package). */
function pythonUnavailable(): string | undefined {
  if (existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import asn1crypto'], { encoding: 'utf8' }).status === 0) return undefined;
  const why = `no asn1crypto for ${PYTHON} (apt-get install python3-asn1crypto, as .ci/run does)`;
  console.warn(`\n*** SKIPPED: compressed AS2 against Python's asn1crypto (test/as2/compressed-python.test.ts): ${why} ***\n`);
  return why;
}

/** Runs a Python program with file arguments (no shell); its stdout, or a throw with its stderr. */
function python(program: string, ...args: string[]): string {
  const run = spawnSync(PYTHON, ['-c', program, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return run.stdout;
}

// argv[1]: the MIME entity to compress; argv[2]: where the DER of ContentInfo(CompressedData) goes.
const COMPRESS = `
import sys, zlib
from asn1crypto import cms
entity = open(sys.argv[1], 'rb').read()
info = cms.ContentInfo({'content_type': 'compressed_data', 'content': cms.CompressedData({
    'version': 'v0', 'compression_algorithm': {'algorithm': 'zlib'},
    'encap_content_info': {'content_type': 'data', 'content': zlib.compress(entity)}})})
open(sys.argv[2], 'wb').write(info.dump())
`;

// argv[1]: a DER ContentInfo(CompressedData); argv[2]: where its inflated content goes.
const DECOMPRESS = `
import sys
from asn1crypto import cms
info = cms.ContentInfo.load(open(sys.argv[1], 'rb').read())
assert info['content_type'].native == 'compressed_data', info['content_type'].native
assert info['content']['compression_algorithm']['algorithm'].native == 'zlib'
open(sys.argv[2], 'wb').write(info['content'].decompressed)
print(info['content']['encap_content_info']['content_type'].native)
`;

const unavailable = pythonUnavailable();
const PAYLOAD = Buffer.from(`ISA*00*          *00*          *ZZ*BIGBOX         *ZZ*OURCO          *261207*2300*U*00401*000000001*0*P*>~\n${'PO1*1*10*EA*9.99**VP*ABC~\n'.repeat(200)}`);

describe.skipIf(unavailable !== undefined)('compressed AS2 content and Python asn1crypto', () => {
  it('takes in a message whose compressed layer Python made', () => {
    const dir = tempDir('as2-py-');
    try {
      const entity = Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename="po.edi"\r\n\r\n'), PAYLOAD]);
      python(COMPRESS, dir.file('entity', entity), dir.file('compressed.der'));
      const der = readFileSync(dir.file('compressed.der'));
      const got = unpackMessage('application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z', der, { ourKeys: [], partnerCertificates: [] });
      expect(got.compressed).toBe(true);
      expect(got.fileName).toBe('po.edi');
      expect(got.payload.equals(PAYLOAD)).toBe(true);
      // Unsigned, unencrypted but compressed: the MIC covers the payload entity (RFC 5402).
      expect(got.mic.algorithm).toBe('sha-256');
    } finally {
      dir.remove();
    }
  });

  it('makes a compressed layer that Python opens to the payload entity', () => {
    const dir = tempDir('as2-py-');
    try {
      const packed = packMessage(PAYLOAD, { compress: true, fileName: 'po.edi' });
      expect(packed.contentType).toMatch(/^application\/pkcs7-mime; smime-type=compressed-data/);
      const out = python(DECOMPRESS, dir.file('ours.der', packed.body), dir.file('inflated'));
      expect(out.trim()).toBe('data');
      const inflated = readFileSync(dir.file('inflated'));
      const blank = inflated.indexOf('\r\n\r\n');
      expect(inflated.subarray(0, blank).toString()).toMatch(/Content-Type: application\/edi-x12/);
      expect(inflated.subarray(blank + 4).equals(PAYLOAD)).toBe(true);
    } finally {
      dir.remove();
    }
  });
});
