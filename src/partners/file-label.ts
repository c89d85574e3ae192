// How messages name a partner's file: the file the gateway actually loaded (relative to the working
// directory when it is below it, else absolute), never an assumed `partners/<code>.yaml`.
//
//   partnerFileLabel({ file: '/srv/edi/partners-test/acme.yaml', code: 'acme' })   // '/srv/edi/partners-test/acme.yaml'
//   partnerFileLabel({ file: `${process.cwd()}/partners/acme.yaml`, code: 'acme' }) // 'partners/acme.yaml'
import { isAbsolute, relative } from 'node:path';
import type { Partner } from './types.js';

export function partnerFileLabel(partner: Pick<Partner, 'file' | 'code'>, cwd = process.cwd()): string {
  // A partner built in code (tests, tools) has no file: where it would be by convention.
  if (!partner.file) return `partners/${partner.code}.yaml`;
  const inside = relative(cwd, partner.file);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : partner.file;
}
