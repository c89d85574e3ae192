// The log line `edi start` prints per event: what moved, named the way a person finds it again.
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/runtime/event-tail.js';
import type { TailedEvent } from '../../src/store/index.js';

const event = (over: Partial<TailedEvent>): TailedEvent => ({
  id: 1, fileId: null, documentId: null, outboundDocumentId: null, outboundPartner: null, interchangeId: null, filePartner: null, stage: 'post', actor: 'system',
  fromState: 'posting', toState: 'posted', message: 'posted', setId: null, controlNumber: null, sourceName: null, ...over,
});

describe('describeEvent', () => {
  it('names an inbound document by id, set and control number, with its file', () => {
    expect(describeEvent(event({ documentId: 7, fileId: 3, interchangeId: 5, filePartner: 'acme', setId: '850', controlNumber: '0001', sourceName: 'po.edi' }))).toEqual({
      message: 'document 7 850/0001: posting -> posted',
      // The ids as fields: one id greps the document's whole story (docs/observability.md#logs).
      details: { partner: 'acme', fileId: 3, interchangeId: 5, documentId: 7, stage: 'post', file: 'po.edi', note: 'posted' },
    });
  });

  it('names an outbound document by id, set, control number and partner (it has no file)', () => {
    const e = event({ outboundDocumentId: 4, outboundPartner: 'freshmart', setId: '855', controlNumber: '0002', stage: 'deliver', fromState: 'built', toState: 'sent', message: 'sent as out/x.edi' });
    expect(describeEvent(e).message).toBe('outbound 4 855/0002 to freshmart: built -> sent');
    expect(describeEvent(e).details).toMatchObject({ partner: 'freshmart', outboundDocumentId: 4 });
  });

  it('falls back to the file', () => {
    expect(describeEvent(event({ fileId: 9, stage: 'split', fromState: 'received', toState: 'split' })).message).toBe('file 9: received -> split');
  });
});
