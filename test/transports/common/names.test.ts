import { describe, expect, it } from 'vitest';
import {
  archiveName,
  archiveStamp,
  inboundFilter,
  isTemporaryName,
  safeFileName,
  temporaryName,
  unusableName,
} from '../../../src/transports/common/names.js';

const mailbox = (patterns: string[], ignore: string[] = [], doneMarker = false) => ({ patterns, ignore, doneMarker });

describe('names from partners', () => {
  it('refuses names that point elsewhere and accepts merely odd ones', () => {
    expect(unusableName('')).toBe('it is empty');
    expect(unusableName('.')).toBe('it names a folder');
    expect(unusableName('..')).toBe('it names a folder');
    expect(unusableName('../etc/passwd')).toBe('it holds a path separator');
    expect(unusableName('a\u0000b')).toBe('it holds a NUL character');
    for (const odd of ['po\u0007.edi', '..\\..\\x.edi', 'a..b.edi', '.hidden']) expect(unusableName(odd)).toBeUndefined();
  });

  it('makes any name a single safe path component', () => {
    for (const raw of ['../../etc/passwd', '/abs/path.edi', 'a\u0000b\u001f.edi', '..', '.', '', 'x\\..\\y', 'c:evil', '\u007f', '.hidden']) {
      const safe = safeFileName(raw);
      expect(safe.length).toBeGreaterThan(0);
      expect(safe).not.toMatch(/[\/\\:\u0000-\u001f\u007f]/);
      expect(safe).not.toContain('..');
      expect(safe.startsWith('.')).toBe(false);
    }
    expect(safeFileName('PO 1234.edi')).toBe('PO 1234.edi');
  });

  it('recognizes temporary names, case-insensitively', () => {
    for (const n of ['a.part', 'a.edi.PART', 'b.tmp', 'b.TEMP', 'c.partial', 'd.filepart', '.hidden', '.a.edi', '~lock.edi'])
      expect(isTemporaryName(n), n).toBe(true);
    for (const n of ['a.edi', 'part', 'tmp.edi', 'x.parts', 'a~.edi']) expect(isTemporaryName(n), n).toBe(false);
  });

  it('our own temporary names are hidden .part names that every filter skips', () => {
    const temp = temporaryName('acme_855_1.edi', 'ab12');
    expect(temp).toBe('.acme_855_1.edi.ab12.part');
    expect(isTemporaryName(temp)).toBe(true);
    expect(inboundFilter(mailbox(['*']))(temp)).toBe(false);
    expect(temporaryName('../x', 'u')).not.toContain('/');
  });

  it('filters by the partner patterns, its ignore list and the temporary names', () => {
    const edi = inboundFilter(mailbox(['*.edi', '*.x12'], ['skip*']));
    expect(['po.edi', 'inv.x12', 'po.txt', 'skip-me.edi', 'po.edi.part', '.po.edi', 'PO.EDI'].filter(edi)).toEqual(['po.edi', 'inv.x12']);
    // An empty ignore list does not let a half-written file through.
    expect(inboundFilter(mailbox(['*']))('po.edi.tmp')).toBe(false);
    // With done markers, the markers are not data.
    const done = inboundFilter(mailbox(['*'], [], true));
    expect(done('po.edi')).toBe(true);
    expect(done('po.edi.done')).toBe(false);
    expect(inboundFilter(mailbox(['*']))('..')).toBe(false);
  });

  it('archive names are timestamped, sortable, safe and numbered on collisions', () => {
    const at = new Date('2026-11-01T12:03:04.005Z');
    expect(archiveStamp(at)).toBe('20261101T120304.005Z');
    expect(archiveName('po 1.edi', at)).toBe('20261101T120304.005Z-po 1.edi');
    expect(archiveName('po 1.edi', at, 2)).toBe('20261101T120304.005Z-po 1.edi.2');
    expect(archiveName('../../x\u0001.edi', at)).not.toMatch(/[\/\u0001]|\.\./);
  });
});
