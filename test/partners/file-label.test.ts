// Messages name the partner file the gateway loaded, not an assumed partners/<code>.yaml (issue 11).
import { describe, expect, it } from 'vitest';
import { partnerFileLabel } from '../../src/partners/file-label.js';

describe('partnerFileLabel', () => {
  it('is relative below the working directory and absolute elsewhere', () => {
    expect(partnerFileLabel({ code: 'acme', file: '/srv/edi/partners/acme.yaml' }, '/srv/edi')).toBe('partners/acme.yaml');
    expect(partnerFileLabel({ code: 'acme', file: '/srv/edi/partners-test/acme.yaml' }, '/srv/edi')).toBe('partners-test/acme.yaml');
    expect(partnerFileLabel({ code: 'acme', file: '/etc/edi/partners/acme.yaml' }, '/srv/edi')).toBe('/etc/edi/partners/acme.yaml');
  });

  it('falls back to the conventional name for a partner built in code', () => {
    expect(partnerFileLabel({ code: 'acme', file: '' }, '/srv/edi')).toBe('partners/acme.yaml');
  });
});
