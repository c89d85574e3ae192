// The one error type of the CMS layer: its kind says what failed, and picks the catalog code.
// Messages name algorithms, certificates (subject, serial) and structure, never key material.
import { GatewayError } from '../../errors/failure.js';
import type { ErrorCode } from '../../errors/catalog.js';

export type CmsErrorKind = 'decrypt' | 'signature' | 'signer' | 'format' | 'unsupported' | 'key' | 'decompress';

const CODE_OF_KIND = {
  decrypt: 'AS2_DECRYPT_FAILED',
  signature: 'AS2_SIGNATURE_INVALID',
  signer: 'AS2_SIGNER_UNEXPECTED',
  format: 'AS2_CMS_MALFORMED',
  unsupported: 'AS2_ALGORITHM_UNSUPPORTED',
  key: 'AS2_KEY_UNUSABLE',
  decompress: 'AS2_DECOMPRESS_FAILED',
} as const satisfies Record<CmsErrorKind, ErrorCode>;

export class CmsError extends GatewayError {
  override name = 'CmsError';
  constructor(
    readonly kind: CmsErrorKind,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(CODE_OF_KIND[kind], message, details, options);
  }
}

/** Runs a parse step, turning any other error (an unexpected shape) into one of `kind`. */
export function asFormat<T>(what: string, parse: () => T, kind: CmsErrorKind = 'format'): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CmsError) throw error;
    throw new CmsError(kind, `${what} is not a valid structure`, {}, { cause: error });
  }
}
