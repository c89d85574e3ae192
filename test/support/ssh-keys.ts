// ed25519 key pairs for the SFTP tests. ssh2's generateKeyPairSync('ed25519') writes a malformed key
// about once in 140 pairs (a public key of 31 bytes instead of 32: a leading zero byte lost; measured
// 22 of 3,000 here), which ssh2 then cannot parse: a test that drew one failed at random. So a pair
// is drawn again until both halves parse.
import ssh2 from 'ssh2';

type KeyOptions = Parameters<typeof ssh2.utils.generateKeyPairSync>[1];

export function ed25519KeyPair(options?: KeyOptions & { passphrase?: string }): { public: string; private: string } {
  for (let attempt = 1; ; attempt++) {
    const pair = options ? ssh2.utils.generateKeyPairSync('ed25519', options) : ssh2.utils.generateKeyPairSync('ed25519');
    const parsed = [ssh2.utils.parseKey(pair.public), ssh2.utils.parseKey(pair.private, options?.passphrase)];
    if (!parsed.some((k) => k instanceof Error)) return pair;
    if (attempt >= 20) throw new Error(`no parseable ed25519 key pair in ${attempt} tries`);
  }
}
