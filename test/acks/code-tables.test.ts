import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/errors/catalog.js';
import type { AckCodes } from '../../src/errors/types.js';
import {
  codeMeaning, elementErrorCodes, groupErrorCodes, segmentErrorCodes, setErrorCodes, ta1NoteCodes, type CodeTable,
} from '../../src/acks/code-tables.js';
import { ackCodes } from '../../src/errors/codes/acks.js';

// Every ack code the catalog hands to a finding must have a meaning, or the messages
// and the reading of our own acknowledgments would say "unknown code".
const tables: Record<keyof AckCodes, CodeTable> = {
  ta1: ta1NoteCodes, ak9: groupErrorCodes, ak5: setErrorCodes, ak3: segmentErrorCodes, ak4: elementErrorCodes,
};

describe('acknowledgment code tables', () => {
  it('know every acknowledgment code of the error catalog', () => {
    const missing: string[] = [];
    for (const [code, entry] of Object.entries(catalog)) {
      const ack: AckCodes = 'ack' in entry ? entry.ack : {};
      for (const [kind, value] of Object.entries(ack) as [keyof AckCodes, string][]) {
        if (!Object.hasOwn(tables[kind].codes, value)) missing.push(`${code}: ${kind} ${value}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('have every TA1 note code from 000 to 031', () => {
    expect(Object.keys(ta1NoteCodes.codes)).toEqual(Array.from({ length: 32 }, (_, i) => String(i).padStart(3, '0')));
  });

  it('say when a code is unknown', () => {
    expect(codeMeaning(segmentErrorCodes, '8')).toBe('segment has data element errors');
    expect(codeMeaning(segmentErrorCodes, 'Z')).toBe('unknown AK304/IK304 code "Z"');
  });

  it('ack reader codes are catalog entries', () => {
    for (const entry of Object.values(ackCodes)) {
      expect(entry.meaning.length).toBeGreaterThan(20);
      expect(entry.fix.length).toBeGreaterThan(20);
    }
  });
});
