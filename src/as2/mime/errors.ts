// MIME that cannot be read: one code, and the message says what is wrong and where (byte offset
// into the entity handed to the parser), so a partner's support can find it in their copy.
import { GatewayError } from '../../errors/failure.js';

export class MimeError extends GatewayError {
  override name = 'MimeError';
  constructor(readonly what: string, readonly offset: number) {
    super('AS2_MIME_MALFORMED', `${what} (at byte ${offset})`, { what, offset });
  }
}
