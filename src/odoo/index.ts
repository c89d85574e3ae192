// The Odoo connector: the client (JSON-RPC / JSON-2), the field names per version, and the
// postings behind the pipeline's PostingTarget port.
//
//   const options = odooOptionsFromEnv(process.env);          // undefined without ODOO_URL
//   const client = createOdooClient(options);
//   const target = odooTarget({ client, partner: (code) => directory.get(code), productMapping });
export { createOdooClient, majorVersionOf, type OdooClient, type OdooClientOptions, type OdooRecord, type Domain } from './client/client.js';
export { OdooError, isOdooError, kindOfFault, type OdooErrorKind } from './client/errors.js';
export { fieldNamesFor, loadOdooSchema, type OdooFieldNames, type OdooSchema } from './field-names.js';
export { odooOptionsFromEnv, OdooConfigError } from './config.js';
export { odooTarget, type OdooTargetOptions } from './target.js';
export { odooSettingsOf, DEFAULT_UNITS, type OdooSettings } from './settings.js';
export { MasterDataGap } from './postings/gap.js';
