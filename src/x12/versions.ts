// Which X12 version a group is read with. GS08 decides (004010, 004010VICS, 005010X231A1, ...);
// ISA12 (00401, 00501) only governs the envelope syntax (docs/x12.md#versions-gs08-decides).

export type SpecVersion = '004010' | '005010';

const SUPPORTED: Record<string, SpecVersion> = { '00401': '004010', '00501': '005010' };

/** The spec version for a GS08 (or ISA12) value, or undefined when we do not read that version. */
export function specVersion(version: string): SpecVersion | undefined {
  const v = version.trim();
  if (/^\d{5}$/.test(v)) return SUPPORTED[v];
  const m = /^(\d{5})0/.exec(v);
  return m ? SUPPORTED[m[1] as string] : undefined;
}
