// The domain our Message-IDs end in: the host of our public AS2 URL, else this machine's name.
import { hostname } from 'node:os';

export function messageIdDomain(ourUrl: string | undefined): string {
  let host = '';
  try {
    host = ourUrl ? new URL(ourUrl).hostname : '';
  } catch {
    host = '';
  }
  return (host || hostname()).replace(/[^A-Za-z0-9.-]/g, '').slice(0, 253) || 'edi-gateway.invalid';
}
