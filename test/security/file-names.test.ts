// Names that come from partners (an SFTP listing, a local folder) never lead out of the folders we
// put files in: whatever the name holds ('..', '/', an absolute path, control characters, any
// Unicode), it is refused as unusable or becomes one path component inside the archive, inbox or
// outbound folder, short enough for the file system. Properties over random names (fast-check, fixed
// seed; FUZZ_SEED overrides it), then the real archive step on disk.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderFileName, safeFileName } from '../../src/partners/file-name.js';
import { archiveName, temporaryName, unusableName } from '../../src/transports/common/names.js';
import { archiveLocalFile } from '../../src/transports/folder/archive.js';
import { folders } from '../transports/folder/support.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const AT = new Date('2026-12-07T12:00:00.123Z');
/** Linux NAME_MAX: one path component, in bytes. */
const NAME_MAX = 255;

/** Names as a hostile or careless partner may list them: path tricks, controls, any Unicode, long. */
const PIECES = ['..', '.', '/', '\\', '/etc/passwd', 'C:\\x', '\u0000', '\n', '\r', '\u001b[2J', '\u007f', '~', '..\\..\\', '%2e%2e%2f', 'po.edi', ' ', '\u202e', '漢字', '😀', '\ud800'];
const partnerName = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 12 }).map((p) => p.join('')),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  // Long names of multi-byte characters: within NAME_MAX as a listing shows them, not once prefixed.
  fc.tuple(fc.constantFrom('漢', 'é', '😀', 'a'), fc.integer({ min: 1, max: 255 })).map(([c, n]) => c.repeat(n)),
);

/** Why `name` joined to `folder` is not one entry directly in it, or undefined when it is. */
function escapes(folder: string, name: string): string | undefined {
  const path = resolve(folder, name);
  if (dirname(path) !== resolve(folder)) return `resolves to ${path}, outside ${folder}`;
  if (basename(path) !== name) return `is not kept as one component (${basename(path)})`;
  if (name === '' || name === '.' || name === '..') return 'names a folder';
  if (/[\u0000-\u001f\u007f/\\]/.test(name)) return 'holds a separator or a control character';
  if (Buffer.byteLength(name) > NAME_MAX) return `is ${Buffer.byteLength(name)} bytes, more than a file name may be`;
  return undefined;
}

describe('partner file names', () => {
  it('a listed name is either refused or read as one entry of the inbound folder', () => {
    fc.assert(
      fc.property(partnerName, (name) => {
        if (unusableName(name) !== undefined) return;
        const path = resolve('/srv/inbox', name);
        expect(dirname(path)).toBe('/srv/inbox');
        expect(basename(path)).toBe(name);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('archive, temporary and recorded names are one safe component, within NAME_MAX', () => {
    fc.assert(
      fc.property(partnerName, fc.integer({ min: 0, max: 999 }), (name, attempt) => {
        expect(escapes('/srv/archive', archiveName(name, AT, attempt))).toBeUndefined();
        expect(escapes('/srv/outbox', temporaryName(name, 'c0ffee-1234'))).toBeUndefined();
        expect(escapes('/srv/any', safeFileName(name))).toBeUndefined();
        expect(escapes('/srv/outbox', renderFileName('{partner}_{set}_{control}.edi', { partner: name, set: name, control: 42, now: AT }))).toBeUndefined();
      }),
      { seed: SEED + 1, numRuns: 2000 },
    );
  });

  it('on disk: a long multi-byte name is archived inside the archive folder, not refused by the file system', async () => {
    const w = folders();
    mkdirSync(w.inbox);
    // 85 three-byte characters: 255 bytes, the longest name the inbox can hold; the archive adds a timestamp.
    const name = '漢'.repeat(83) + '.e';
    expect(Buffer.byteLength(name)).toBe(251);
    writeFileSync(join(w.inbox, name), 'ISA');
    const outcome = await archiveLocalFile(join(w.inbox, name), name, { action: 'move', folder: w.archive }, AT);
    expect(outcome).toHaveProperty('movedTo');
    const [archived] = readdirSync(w.archive);
    expect(archived).toMatch(/^20261207T120000\.123Z-漢+/);
    expect(Buffer.byteLength(archived!)).toBeLessThanOrEqual(NAME_MAX);
    expect(readdirSync(w.inbox)).toEqual([]);
  });

  it('on disk: names with .., separators look-alikes and control characters stay in the archive folder', async () => {
    const w = folders();
    mkdirSync(w.inbox);
    const names = ['..\\..\\evil.edi', '..po..edi', 'a\u0001\u001b[2J.edi', '.hidden.edi', '%2e%2e%2fx.edi', 'c:x.edi'];
    for (const name of names) {
      writeFileSync(join(w.inbox, name), name);
      await archiveLocalFile(join(w.inbox, name), name, { action: 'move', folder: w.archive }, AT);
    }
    expect(readdirSync(w.inbox)).toEqual([]);
    const archived = readdirSync(w.archive);
    expect(archived).toHaveLength(names.length);
    for (const a of archived) expect(escapes(w.archive, a)).toBeUndefined();
    expect(readdirSync(dirname(w.archive)).sort()).toEqual([basename(w.archive), basename(w.inbox)].sort());
  });
});
