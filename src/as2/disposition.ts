// Why an incoming AS2 message was not processed, as RFC 4130 section 7.4.3 names it in the MDN: the
// failure carries the disposition modifier, so the receiver's MDN says what went wrong.
import { GatewayError, isGatewayError } from '../errors/failure.js';
import type { ErrorCode } from '../errors/catalog.js';

export type DispositionModifier =
  | 'decryption-failed'
  | 'authentication-failed'
  | 'integrity-check-failed'
  | 'decompression-failed'
  | 'unexpected-processing-error'
  | 'insufficient-message-security';

export class As2MessageError extends GatewayError {
  override name = 'As2MessageError';
  constructor(
    code: ErrorCode,
    readonly modifier: DispositionModifier,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, { ...details, modifier }, options);
  }

  /** A failure of one layer (decrypting, verifying ...) with the modifier of that layer; keeps a coded cause's code. */
  static wrap(modifier: DispositionModifier, error: unknown, fallback: ErrorCode): As2MessageError {
    if (error instanceof As2MessageError) return error;
    const code = isGatewayError(error) ? error.code : fallback;
    const message = error instanceof Error ? error.message : String(error);
    const details = isGatewayError(error) ? error.details : {};
    return new As2MessageError(code, modifier, message, details, { cause: error });
  }
}

export function isAs2MessageError(error: unknown): error is As2MessageError {
  return error instanceof Error && error.name === 'As2MessageError' && 'modifier' in error;
}
