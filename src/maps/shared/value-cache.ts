// One string per short value a large set repeats. A large ship notice repeats the same few
// units, product ids and line numbers in every one of its tens of thousands of items; cut out of
// the read chunk each time, every copy is another string its document keeps (a fifth of what a
// large 856's document held). Short values are looked up in a small table by a few of their
// characters and handed back as the string cut the first time; a value not there (or pushed out
// by another) is cut as before. Used for large sets only: a small set's document does not live
// long enough for the lookups to pay.

/** Values longer than this are cut as they are (they repeat less, and cost more to compare). */
export const SHORT_VALUE = 16;
const SLOTS = 2048;

export class ValueCache {
  private readonly strings: string[] = new Array<string>(SLOTS).fill('');

  /** src.slice(a, b), as the string met before when it is in the table (0 < b - a <= SHORT_VALUE). */
  get(src: string, a: number, b: number): string {
    const n = b - a;
    // Length and the characters at both ends and the middle: the ones ids and numbers differ in.
    let h = Math.imul(n, 0x9e3779b1) ^ src.charCodeAt(a);
    h = Math.imul(h, 0x85ebca6b) ^ src.charCodeAt(b - 1);
    h = Math.imul(h, 0xc2b2ae35) ^ src.charCodeAt(b - 2 > a ? b - 2 : a);
    h = Math.imul(h, 0x9e3779b1) ^ src.charCodeAt(a + (n >> 1));
    const slot = Math.imul(h, 0x85ebca6b) >>> 21; // 11 bits: 0 .. SLOTS - 1
    const known = this.strings[slot]!;
    if (known.length === n && src.startsWith(known, a)) return known;
    const value = src.slice(a, b);
    this.strings[slot] = value;
    return value;
  }
}
