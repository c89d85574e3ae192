// Wraps an OdooClient and records every ORM call made through it, so a test can say "the replay
// created and wrote nothing" against the double and a real Odoo alike.
import type { OdooClient } from '../../../src/odoo/client/client.js';

export interface RecordedCall {
  model: string;
  method: string;
}

/** Methods that change something in Odoo. */
export const MUTATING = new Set(['create', 'web_save', 'write', 'unlink', 'action_confirm', 'action_cancel', 'message_post', 'button_validate', 'button_confirm', 'process', 'action_post']);

export function recordingClient(inner: OdooClient): OdooClient & { calls: RecordedCall[]; mutations(): RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const note = (model: string, method: string) => calls.push({ model, method });
  return {
    url: inner.url,
    db: inner.db,
    calls,
    mutations: () => calls.filter((c) => MUTATING.has(c.method)),
    version: () => inner.version(),
    api: () => inner.api(),
    execute: (call) => (note(call.model, call.method), inner.execute(call)),
    searchRead: (model, domain, o) => (note(model, 'search_read'), inner.searchRead(model, domain, o)),
    search: (model, domain, o) => (note(model, 'search'), inner.search(model, domain, o)),
    read: (model, ids, fields, context) => (note(model, 'read'), inner.read(model, ids, fields, context)),
    create: (model, values, context) => (note(model, 'create'), inner.create(model, values, context)),
    // One call from Odoo 17 on (web_save), create + read before: recorded as the create it is.
    createAndRead: (model, values, fields, context) => (note(model, 'create'), inner.createAndRead(model, values, fields, context)),
    write: (model, ids, values, context) => (note(model, 'write'), inner.write(model, ids, values, context)),
    call: (model, method, ids, params, context) => (note(model, method), inner.call(model, method, ids, params, context)),
    fieldsGet: (model, attributes) => (note(model, 'fields_get'), inner.fieldsGet(model, attributes)),
  } as OdooClient & { calls: RecordedCall[]; mutations(): RecordedCall[] };
}
