// The API shape every map (850, 855, 856, 810) shares, so callers treat them alike.
import type { Finding } from '../../errors/finding.js';

/** The X12 versions the maps write. Reading accepts both without being told. */
export type X12Version = '004010' | '005010';

/** Where the transaction set came from: copied into every finding's location. */
export interface MapContext {
  file?: string;
  /** ISA13 as written. */
  interchange?: string;
  /** GS06. */
  group?: string;
}

/**
 * What reading a transaction set gives. `document` is absent when an error finding
 * makes the document unusable (a mandatory value missing or unreadable); warnings
 * (ignored segments, totals that do not add up) leave it in place.
 */
export interface MapResult<T> {
  document?: T;
  findings: Finding[];
}
