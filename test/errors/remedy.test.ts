// What helps a rejected or failed document (src/errors/remedy.ts), derived from the catalog.
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/errors/catalog.js';
import { codeInReason, documentRemedy, remedyOf, remedyOfEntry, REMEDY_TEXT } from '../../src/errors/remedy.js';
import type { CatalogEntry } from '../../src/errors/types.js';

describe('remedy of a code', () => {
  it('a finding about what the partner sent needs a corrected file; a gap here a fix and a replay; an outage waiting', () => {
    expect(remedyOf('X12_SE_COUNT')).toBe('partner');
    expect(remedyOf('X12_NOT_X12')).toBe('partner');
    expect(remedyOf('MAP_REQUIRED_VALUE')).toBe('partner');
    expect(remedyOf('ODOO_MASTER_DATA_GAP')).toBe('replay');
    expect(remedyOf('ODOO_ACCESS_DENIED')).toBe('replay');
    expect(remedyOf('ODOO_TIMEOUT')).toBe('wait');
    expect(remedyOf('PIPELINE_DOCUMENT_DUPLICATE')).toBe('none');
    expect(remedyOf('NOT_A_CODE')).toBeUndefined();
  });

  it('an entry that names its own remedy keeps it (a missing map is fixed here, not by the partner)', () => {
    expect(remedyOf('PIPELINE_NO_MAP')).toBe('replay');
    expect(remedyOfEntry({ severity: 'error', scope: 'element', meaning: '', fix: '', remedy: 'wait' })).toBe('wait');
  });

  it('every code of the catalog has a remedy with words for it', () => {
    for (const [code, e] of Object.entries(catalog as Record<string, CatalogEntry>)) {
      expect(REMEDY_TEXT[remedyOfEntry(e)], code).toMatch(/\w/);
    }
  });
});

describe('remedy of a document', () => {
  it('reads the code at the end of a stored reason', () => {
    expect(codeInReason('product ABC is unknown in Odoo [ODOO_MASTER_DATA_GAP]')).toBe('ODOO_MASTER_DATA_GAP');
    expect(codeInReason('no code here')).toBeUndefined();
    expect(codeInReason(null)).toBeUndefined();
  });

  it("the partner's fault wins over a fix here, which wins over waiting; no code, no advice", () => {
    expect(documentRemedy('x [ODOO_TIMEOUT]', ['X12_SE_COUNT'])).toBe('partner');
    expect(documentRemedy('x [ODOO_TIMEOUT]', ['ODOO_MASTER_DATA_GAP'])).toBe('replay');
    expect(documentRemedy('x [ODOO_TIMEOUT]', [])).toBe('wait');
    expect(documentRemedy('x [PIPELINE_DOCUMENT_DUPLICATE]', [])).toBe('none');
    expect(documentRemedy('no code', [])).toBeUndefined();
  });
});
