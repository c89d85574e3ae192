// Every plan, for callers that print or inspect SQL (e.g. `edi` debugging) and for plan tests.
export * from './plan.js';
export * from './files.js';
export * from './interchanges.js';
export * from './documents.js';
export * from './events.js';
export * from './outbound.js';
export * from './outbound-documents.js';
export * from './posted.js';
export * from './postings.js';
export * from './sweep.js';
export * from './partners.js';
export * from './product-map.js';
export * from './notify.js';
export * from './locks.js';
export * from './reconcile.js';
export * from './dashboard.js';
