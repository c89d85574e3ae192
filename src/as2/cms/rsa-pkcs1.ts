// RSAES-PKCS1-v1_5 key transport decryption, the one operation Node 20 refuses in privateDecrypt
// (the Marvin/Bleichenbacher protection). Done in pure JS with node-forge, for this operation only;
// Node's protection stays on. The caller hides every failure behind one uniform outcome
// (docs/adr/0005-as2-cms-and-rsa-v15.md).
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';

const forgeKeys = new WeakMap<KeyObject, forge.pki.rsa.PrivateKey>();

function forgeKeyOf(key: KeyObject): forge.pki.rsa.PrivateKey {
  let found = forgeKeys.get(key);
  if (!found) {
    found = forge.pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
    forgeKeys.set(key, found);
  }
  return found;
}

/** The unwrapped key, or undefined when the padding is wrong: never why. */
export function decryptPkcs1v15(key: KeyObject, encrypted: Uint8Array): Uint8Array | undefined {
  try {
    return new Uint8Array(Buffer.from(forgeKeyOf(key).decrypt(Buffer.from(encrypted).toString('binary'), 'RSAES-PKCS1-V1_5'), 'binary'));
  } catch {
    return undefined;
  }
}
