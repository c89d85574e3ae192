// Partner configuration: partners/<code>.yaml -> frozen Partner objects, a PartnerDirectory that
// a reload replaces as a whole, and the helpers transports share (name patterns, file names).
export type * from './types.js';
export { loadPartners, GATEWAY_FILE, PARTNER_CODE, type LoadOptions, type LoadResult } from './load.js';
export { watchPartners, type PartnerWatcher, type ReloadResult, type WatchOptions } from './watch.js';
export { partnerDirectory, fingerprintOf, type MutablePartnerDirectory } from './directory.js';
export { PartnerConfigError } from './config-error.js';
export { SecretError, secretProblem, type Env } from './secrets.js';
export { nameFilter, matchesGlob, matchesAny } from './glob.js';
export { renderFileName, safeFileName, isSafeFileName, utcStamp, FILE_NAME_PLACEHOLDERS } from './file-name.js';
export { BUILT_IN as PARTNER_DEFAULTS } from './defaults.js';
export { certificateFacts, certificateLine, certificateName, type CertificateFacts } from './as2-keys.js';
export { mailboxKey, mailboxesOf } from './cross-check.js';
