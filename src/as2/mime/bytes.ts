// Byte helpers for MIME: searches are Buffer.indexOf (linear, no regular expressions on what a
// partner sent), text is latin1 so that every byte maps to one character and back.

const CR = 0x0d;
const LF = 0x0a;

export function ascii(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Text in canonical form (RFC 5751 section 3.1.1): every line ends in CRLF. A bare LF gets its CR; a CR
 * already before an LF and a lone CR stay, so canonical input comes back unchanged.
 */
export function canonicalizeLineEnds(bytes: Uint8Array): Buffer {
  const input = asBuffer(bytes);
  let bare = 0;
  for (let i = 0; i < input.length; i++) if (input[i] === LF && (i === 0 || input[i - 1] !== CR)) bare++;
  if (bare === 0) return input;
  const out = Buffer.allocUnsafe(input.length + bare);
  let o = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === LF && (i === 0 || input[i - 1] !== CR)) out[o++] = CR;
    out[o++] = b;
  }
  return out;
}

/** The end of the line starting at `from`: index of its LF and where the next line starts; -1 if none. */
export function lineEnd(bytes: Buffer, from: number): { contentEnd: number; next: number } | undefined {
  const lf = bytes.indexOf(LF, from);
  if (lf < 0) return undefined;
  return { contentEnd: lf > from && bytes[lf - 1] === CR ? lf - 1 : lf, next: lf + 1 };
}
