#!/usr/bin/env node
// The edi command line. Commands are thin: they read files or the store, call the functional core
// (src/inbound/examine.ts) or the pipeline (src/jobs), and print; exit codes are in ./exit-codes.ts.
import { Command, CommanderError } from 'commander';
import { join } from 'node:path';
import { DEFAULT_SCHEMA, openDatabase, type Database } from '../store/index.js';
import { alertsCheckCommand, alertsTestCommand } from './commands/alerts.js';
import { as2ListCommand, as2ShowCommand, type BinaryOutput } from './commands/as2.js';
import { dashboardCommand } from './commands/dashboard.js';
import { gapsFixCommand } from './commands/gaps.js';
import { docsListCommand, docsShowCommand } from './commands/docs.js';
import { filesListCommand, filesShowCommand } from './commands/files.js';
import { ackCommand, parseCommand, validateCommand, type Output } from './commands/inspect.js';
import { odooHooksCommand } from './commands/odoo-hooks.js';
import { outboundBuildCommand, outboundListCommand, outboundPreviewCommand, outboundRegenerateCommand, outboundResendCommand, outboundShowCommand } from './commands/outbound.js';
import { partnersCheckCommand, partnersConnectCommand, partnersListCommand } from './commands/partners.js';
import { productsListCommand, productsMapCommand, productsUnmapCommand } from './commands/products.js';
import { askOnTerminal, bulkReplayCommand, cancelCommand, replayCommand } from './commands/replay.js';
import { dryRunCommand } from './commands/dry-run.js';
import { partnersTestCommand } from './commands/partner-test.js';
import { startCommand } from './commands/start.js';
import { usersAddCommand, usersChangeCommand, usersListCommand, usersTokenCreateCommand, usersTokenListCommand, usersTokenRevokeCommand } from './commands/users.js';
import { EXIT } from './exit-codes.js';
import { cliLogger } from './log.js';

// A reader that stops early (`edi parse FILE | head -1`) closes the pipe: what is left to print has no
// reader, so it is dropped and the command ends with its own exit code, rather than an unhandled EPIPE.
const closed = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed.add(stream);
  });
}
const print = (stream: NodeJS.WriteStream, text: string): void => {
  if (!closed.has(stream)) stream.write(text + '\n');
};
const io: Output = { out: (t) => print(process.stdout, t), err: (t) => print(process.stderr, t) };
/** Also bytes as they are, for the commands that write a message's bytes to stdout (edi as2 show --raw). */
const binaryIo: BinaryOutput = { ...io, bytes: (data) => void (closed.has(process.stdout) || process.stdout.write(data)) };

const DATA_DIR_HELP = 'data folder: the embedded database (when DATABASE_URL is unset) lives in <dir>/postgres';
const SCHEMA_HELP = "the gateway's schema in the database";
const PARTNERS_HELP = 'the partners folder (default: PARTNERS_DIR, else ./partners)';

export function buildProgram(run: (code: Promise<number>) => void): Command {
  const program = new Command('edi')
    .description('EDI gateway for Odoo: read, validate, map and acknowledge ASC X12 files')
    .exitOverride()
    .showHelpAfterError();
  const inspectOptions = (c: Command) =>
    c.option('--ack <kind>', 'acknowledgment to build: 997 or 999', '997')
      .option('--allow-variable-isa', 'accept an ISA whose elements are not padded (warning instead of error)')
      .option('--our-id <id>', 'our interchange id for acknowledgments (default: the receiver the file addressed)')
      .option('--our-qualifier <q>', 'our interchange id qualifier')
      .option('--control <n>', 'control number for the acknowledgment interchange and group', '1');
  inspectOptions(program.command('parse <file>').description('print the canonical documents of FILE as JSON, each with its envelope'))
    .action((file, opts) => run(parseCommand(file, opts, io)));
  inspectOptions(program.command('validate <file>').description('print every error in FILE and the 997/999/TA1 we would send'))
    .option('--json', 'print findings and acknowledgments as JSON')
    .action((file, opts) => run(validateCommand(file, opts, io)));
  inspectOptions(program.command('ack <file>').description('print only the acknowledgment interchange(s) for FILE'))
    .action((file, opts) => run(ackCommand(file, opts, io)));

  program.command('start')
    .description('run the gateway: take files from the drop folder <data-dir>/inbox/<partner>/ through to posted')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--partner <code>', 'partner whose drop folder is watched (when no partner file claims it)', 'sample')
    .option('--partners <dir>', `${PARTNERS_HELP}: each partner's transport runs, reloaded on change or SIGHUP`)
    .option('--inbox <dir>', 'drop folder (default <data-dir>/inbox/<partner>)')
    .option('--archive <dir>', 'where taken files are moved after they are stored (default <data-dir>/archive/<partner>)')
    .option('--interval <seconds>', 'seconds between scans of the drop folder', '2')
    .option('--once', 'take what is in the drop folder, wait until every document is processed, print a summary and exit (0: all posted)')
    .option('--timeout <seconds>', 'with --once: longest wait for the pipeline', '120')
    .option('--no-samples', 'never copy the sample files into an empty drop folder on the first start')
    .option('--verbose', "also the pipeline's and the drop folder's own log lines")
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((opts) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const log = cliLogger();
      run(
        startCommand({ ...opts, samples: opts.samples === false ? false : undefined }, { io, log, signal: controller.signal })
          .finally(() => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          })
          // A stop cut short by STOP_TIMEOUT_SECONDS may leave a target call in flight, which would keep
          // the process alive: the gateway has stopped, so the process ends (once its output is out).
          .then(async (code) => {
            for (const stream of [process.stdout, process.stderr]) await new Promise((resolve) => stream.write('', resolve));
            return code;
          })
          .then((code) => process.exit(code)),
      );
    });

  // The options of every command that reads or writes the store.
  const storeOptions = (c: Command) => c.option('--data-dir <dir>', DATA_DIR_HELP, 'data').option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA);
  storeOptions(program.command('dashboard')
    .description("the console's dashboard: what waits for a person, documents by partner and state, partner health, acknowledgments overdue, failed deliveries")
    .option('--json', 'print JSON'))
    .action((opts) => run(withDatabase(opts, (db) => dashboardCommand(db, opts, io))));
  const docs = program.command('docs').description('documents in the store');
  docs.command('list')
    .description('the newest documents, filtered')
    .option('--state <state>', 'only documents in this state (comma-separated for several)')
    .option('--set <id>', 'only this transaction set, e.g. 850')
    .option('--partner <code>', 'only this partner')
    .option('--file <id>', 'only the documents of this file')
    .option('--search <text>', 'only documents with this PO number, shipment id, invoice number or set control number (ST02), or from the file of this name')
    .option('--since <date>', 'only documents recorded since this ISO date (UTC) or date-time, e.g. 2026-12-01')
    .option('--until <date>', 'only documents recorded before this ISO date-time; a date includes that whole day (UTC)')
    .option('--direction <in|out>', 'in: the documents partners sent (default); out: those we send (as edi outbound list)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((opts) => run(withDatabase(opts, (db) => docsListCommand(db, opts, io))));
  docs.command('show <id>')
    .description('one document: state, findings, timeline, canonical JSON and its raw segments')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((id, opts) => run(withDatabase(opts, (db) => docsShowCommand(db, id, opts, io))));

  const files = program.command('files').description('the files received (one rejected as a whole, empty or not X12, has no document: its reason is here)');
  files.command('list')
    .description('the newest files, filtered')
    .option('--state <state>', 'only files in this state (received, split, rejected, failed)')
    .option('--partner <code>', 'only this partner')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((opts) => run(withDatabase(opts, (db) => filesListCommand(db, opts, io))));
  files.command('show <id>')
    .description('one file: state, reason and what helps, its interchanges with their findings, its documents, its timeline')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((id, opts) => run(withDatabase(opts, (db) => filesShowCommand(db, id, opts, io))));

  program.command('replay [id]')
    .description('send a rejected or failed document (or with --file, every one of a file; with --filter, every one matching) back to the stage that failed')
    .option('--file', 'ID is a file id')
    .option('--outbound', 'ID is an outbound entry (an acknowledgment we send) that ended failed: deliver it again')
    .option('--filter <filter>', 'bulk replay: every rejected or failed document matching, e.g. state=rejected,partner=acme (keys: state, partner, set, search, from, to)')
    .option('--yes', 'bulk replay: no confirmation question')
    .option('--no-wait', 'bulk replay: start it and return, without following its progress')
    .option('--timeout <seconds>', 'bulk replay: follow the progress this long at most', '600')
    .option('--reason <text>', 'why (audited, on the timeline)')
    .option('--actor <name>', 'who replays (recorded in the timeline); default: the login name')
    .option('--dry-run', 'say what a replay of document ID would do in Odoo (create, write, call, or the error it would stop at) without doing it (reads ODOO_URL & co. and the partner files)')
    .option('--partners <dir>', 'with --dry-run: the partner files (default: PARTNERS_DIR or partners)')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((id, opts) => {
      if ((id === undefined) === (opts.filter === undefined)) {
        io.err('error: give a document id, or --filter for a bulk replay (not both)');
        return run(Promise.resolve(EXIT.usage));
      }
      if (opts.filter !== undefined) {
        const terminal = { isTTY: Boolean(process.stderr.isTTY), write: (t: string) => void process.stderr.write(t), confirm: askOnTerminal(process.stdin, process.stderr) };
        return run(withDatabase(opts, (db) => bulkReplayCommand(db, opts, io, terminal)));
      }
      if (opts.dryRun) return run(withDatabase(opts, (db) => dryRunCommand(db, id, opts, io)));
      return run(withDatabase(opts, (db) => replayCommand(db, id, opts, io)));
    });
  storeOptions(program.command('cancel <id>')
    .description('cancel a rejected or failed document the partner will not correct (never a posted one); audited, on its timeline')
    .requiredOption('--reason <text>', 'why (required: kept in the audit trail and on the timeline)')
    .option('--actor <name>', 'who cancels; default: the login name'))
    .action((id, opts) => run(withDatabase(opts, (db) => cancelCommand(db, id, opts, io))));

  const outbound = program.command('outbound').description('the documents we send (850 to suppliers; 855, 856, 810 to customers): list, show, preview, build, resend, regenerate');
  const odooNote = ' (reads the record in Odoo: ODOO_URL & co.)';
  storeOptions(outbound.command('list')
    .description('the newest outbound documents: partner, set, source record, state, control numbers, sent, acknowledgment due')
    .option('--state <state>', 'only documents in this state, e.g. ack-overdue')
    .option('--partner <code>', 'only this partner')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON'))
    .action((opts) => run(withDatabase(opts, (db) => outboundListCommand(db, opts, io))));
  storeOptions(outbound.command('show <id>')
    .description('one outbound document: state, timeline, deliveries and the X12 sent')
    .option('--json', 'print JSON'))
    .action((id, opts) => run(withDatabase(opts, (db) => outboundShowCommand(db, id, opts, io))));
  storeOptions(outbound.command('preview <model> <id>')
    .description(`print the X12 the Odoo record MODEL ID would produce now, with placeholder control numbers; nothing is numbered, stored or sent${odooNote}`)
    .option('--partners <dir>', PARTNERS_HELP))
    .action((model, id, opts) => run(withDatabase(opts, (db) => outboundPreviewCommand(db, model, id, opts, io))));
  storeOptions(outbound.command('build <model> <id>')
    .description(`build the documents of the Odoo record MODEL ID now, as the poller or a webhook would: for a record they will not see${odooNote}`)
    .option('--partners <dir>', PARTNERS_HELP))
    .action((model, id, opts) => run(withDatabase(opts, (db) => outboundBuildCommand(db, model, id, opts, io))));
  // Under `edi outbound`, and at the top as people say them (`edi resend ID`, `edi regenerate ID`).
  for (const parent of [outbound, program]) {
    const alias = parent === program ? ' (as edi outbound resend)' : '';
    storeOptions(parent.command('resend <id>')
      .description(`send the same bytes again (same control numbers): a new delivery, flagged on the timeline${alias}`)
      .option('--reason <text>', 'why (recorded in the timeline)')
      .option('--actor <name>', 'who resends (recorded in the timeline); default: the login name'))
      .action((id, opts) => run(withDatabase(opts, (db) => outboundResendCommand(db, id, opts, io))));
    storeOptions(parent.command('regenerate <id>')
      .description(`build the record again as a new generation with new control numbers; this document is cancelled${alias ? ' (as edi outbound regenerate)' : ''}${odooNote}`)
      .option('--reason <text>', 'why (recorded in the timeline)')
      .option('--actor <name>', 'who regenerates (recorded in the timeline); default: the login name')
      .option('--partners <dir>', PARTNERS_HELP))
      .action((id, opts) => run(withDatabase(opts, (db) => outboundRegenerateCommand(db, id, opts, io))));
  }

  const as2 = program.command('as2').description('AS2 messages received and sent, with their MDNs (docs/as2.md)');
  storeOptions(as2.command('list')
    .description('the newest AS2 messages both ways: partner, Message-ID, state, MDN, the file or delivery they carry, reason')
    .option('--partner <code>', 'only this partner')
    .option('--direction <in|out>', 'in: received; out: sent')
    .option('--state <state>', 'only messages in this state, e.g. mdn-overdue')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON'))
    .action((opts) => run(withDatabase(opts, (db) => as2ListCommand(db, opts, io))));
  storeOptions(as2.command('show <id>')
    .description('one AS2 message: ids, dates, MIC, MDN disposition, headers')
    .option('--raw', 'write the message body as received or sent to stdout, nothing else')
    .option('--mdn', 'write the MDN (ours or the partner\'s) to stdout, nothing else')
    .option('--json', 'print JSON'))
    .action((id, opts) => run(withDatabase(opts, (db) => as2ShowCommand(db, id, opts, binaryIo))));

  storeOptions(program.command('gaps').description('master-data gaps: what Odoo did not know').command('fix <kind> <partner> <code> <target>')
    .description("map what Odoo did not know and replay every document of the partner waiting on it (as the console does): kind product (TARGET: our internal reference), unit (TARGET: an Odoo unit's name) or address (CODE: the ship-to GLN; TARGET: the Odoo address id)")
    .option('--reason <text>', 'why (kept in the audit trail and on each replayed document\'s timeline)')
    .option('--actor <name>', 'who maps; default: the login name'))
    .action((kind, partner, code, target, opts) => run(withDatabase(opts, (db) => gapsFixCommand(db, { kind, partner, code, target }, opts, io))));
  const products = program.command('products').description("the product code mapping the Odoo postings try first: a partner's own code -> our internal reference");
  products.command('map <partner> <theirCode> <internalReference>')
    .description("map PARTNER's product code THEIRCODE (a customer's buyer part, a supplier's vendor part) to the Odoo product with INTERNALREFERENCE")
    .option('--note <text>', 'why (shown by list)')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((partner, theirCode, ref, opts) => run(withDatabase(opts, (db) => productsMapCommand(db, partner, theirCode, ref, opts, io))));
  products.command('unmap <partner> <theirCode>')
    .description('remove a mapping')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((partner, theirCode, opts) => run(withDatabase(opts, (db) => productsUnmapCommand(db, partner, theirCode, io))));
  products.command('list')
    .description('every mapping, or one partner\'s')
    .option('--partner <code>', 'only this partner')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((opts) => run(withDatabase(opts, (db) => productsListCommand(db, opts, io))));

  const hooks = program.command('odoo').description('the configured Odoo (ODOO_URL & co.)')
    .command('hooks').description("the automation rules that post Odoo's events to the gateway's /hooks/odoo/<ODOO_WEBHOOK_TOKEN>");
  for (const [name, text] of [['install', 'create or fix the rules for the documents the partner files send (idempotent)'], ['check', 'say which rules are present, missing or different (exit 1 unless all are present)']] as const) {
    hooks.command(name).description(text)
      .requiredOption('--url <url>', 'the public base URL Odoo reaches the gateway at, e.g. https://edi.example.com')
      .option('--partners <dir>', PARTNERS_HELP)
      .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
      .option('--json', 'print JSON')
      .action((opts) => run(odooHooksCommand(name, opts, io)));
  }

  const users = program.command('users').description('who may use the operations console and the API: users, roles (viewer, operator, admin) and API tokens; no default credentials');
  storeOptions(users.command('add <name>')
    .description('add a user; the password is typed twice, or piped in with --password-stdin (never an argument)')
    .option('--role <role>', 'viewer (reads), operator (also acts on documents) or admin (also manages users)', 'viewer')
    .option('--admin', 'the same as --role admin (the first user: edi users add NAME --admin)')
    .option('--password-stdin', 'read the password from stdin'))
    .action((name, opts) => run(withDatabase(opts, (db) => usersAddCommand(db, name, { ...opts, role: opts.admin ? undefined : opts.role }, io))));
  storeOptions(users.command('list').description('every user: role, state, last login').option('--json', 'print JSON'))
    .action((opts) => run(withDatabase(opts, (db) => usersListCommand(db, opts, io))));
  for (const [change, text] of [['disable', 'disable a user: their sessions end and their API tokens stop working'], ['enable', 'enable a disabled user again']] as const) {
    storeOptions(users.command(`${change} <name>`).description(text).option('--reason <text>', 'why (recorded in the audit trail)'))
      .action((name, opts) => run(withDatabase(opts, (db) => usersChangeCommand(db, name, change, opts, io))));
  }
  storeOptions(users.command('role <name> <role>').description("change a user's role (viewer, operator, admin)").option('--reason <text>', 'why (recorded in the audit trail)'))
    .action((name, role, opts) => run(withDatabase(opts, (db) => usersChangeCommand(db, name, 'role', { ...opts, role }, io))));
  storeOptions(users.command('password <name>').description("set a user's password (typed twice, or --password-stdin); their sessions end").option('--password-stdin', 'read the password from stdin'))
    .action((name, opts) => run(withDatabase(opts, (db) => usersChangeCommand(db, name, 'password', opts, io))));
  const tokens = users.command('token').description('API tokens for scripts: Authorization: Bearer <token>, acting with the owner\'s role');
  storeOptions(tokens.command('create <name>').description("create an API token for user NAME and print it once (only its hash is stored)").requiredOption('--label <text>', 'what uses it'))
    .action((name, opts) => run(withDatabase(opts, (db) => usersTokenCreateCommand(db, name, opts, io))));
  storeOptions(tokens.command('list').description('the API tokens (never the tokens themselves)').option('--user <name>', 'only this user\'s').option('--json', 'print JSON'))
    .action((opts) => run(withDatabase(opts, (db) => usersTokenListCommand(db, opts, io))));
  storeOptions(tokens.command('revoke <id>').description('revoke an API token by its id (edi users token list)').option('--reason <text>', 'why (recorded in the audit trail)'))
    .action((id, opts) => run(withDatabase(opts, (db) => usersTokenRevokeCommand(db, id, opts, io))));

  const alerts = program.command('alerts').description('alerts by webhook and e-mail (docs/alerts.md): test the channels, see what would be sent');
  alerts.command('test')
    .description('send a test message to every configured channel (webhook, e-mail); exit 0 when each took it')
    .option('--partners <dir>', PARTNERS_HELP)
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .action((opts) => run(alertsTestCommand(opts, io)));
  storeOptions(alerts.command('check')
    .description('print what each rule finds now and the message that would be sent; nothing is sent or recorded')
    .option('--partners <dir>', PARTNERS_HELP)
    .option('--json', 'print JSON'))
    .action((opts) => run(withDatabase(opts, (db) => alertsCheckCommand(db, opts, io))));

  const partners = program.command('partners')
    .description('the partners in partners/*.yaml: transport, folders, sets and health')
    .option('--partners <dir>', PARTNERS_HELP)
    .option('--no-health', 'do not open the database for the health column')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((opts) => run(opts.health === false ? partnersListCommand(opts, io, undefined) : withDatabase(opts, (db) => partnersListCommand(opts, io, db), () => partnersListCommand(opts, io, undefined))));
  partners.command('check')
    .description('check every partner file (and that the secrets of enabled partners can be read): every problem printed, exit 1 if any; --connect CODE tries that partner\'s connection (exit 0 ok, 1 folders, 3 unknown partner, 4 host key, 5 login, 6 unreachable)')
    .option('--partners <dir>', PARTNERS_HELP)
    .option('--no-secrets', 'do not try to read the secrets (a machine without them)')
    .option('--connect <code>', 'try this partner\'s connection: host key (its SHA256 printed), login, folders, a temporary file written and removed')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .action((opts) => {
      const options = { ...opts, ...(partners.opts().partners && !opts.partners ? { partners: partners.opts().partners } : {}) };
      return run(opts.connect ? partnersConnectCommand(opts.connect, options, io) : partnersCheckCommand(options, io));
    });
  partners.command('test <code> <files...>')
    .description("run a partner's sample files through its checks, validation, mapping, a dry run of the Odoo postings (with ODOO_URL) and print the 997/999/TA1 we would send; nothing is written to Odoo, the store or the partner (exit 0 fine, 1 findings or a posting that would stop, 2 unreadable, 3 unknown partner)")
    .option('--partners <dir>', PARTNERS_HELP)
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', DATA_DIR_HELP, 'data')
    .option('--schema <name>', SCHEMA_HELP, DEFAULT_SCHEMA)
    .action((code, files, opts) => {
      const options = { ...opts, ...(partners.opts().partners && !opts.partners ? { partners: partners.opts().partners } : {}) };
      // The database is read only for the product mapping of the dry run: opened only when there is an Odoo to rehearse against.
      return run(process.env['ODOO_URL'] ? withDatabase(opts, (db) => partnersTestCommand(code, files, options, io, db)) : partnersTestCommand(code, files, options, io));
    });
  return program;
}

/** Opens the gateway's database for one command and closes it after; `without` runs when it cannot be opened. */
async function withDatabase(opts: { dataDir: string; schema: string }, fn: (db: Database) => Promise<number>, without?: () => Promise<number>): Promise<number> {
  let db: Database;
  try {
    const log = (cliLogger({ level: 'warn', write: (l) => void process.stderr.write(l) }));
    db = await openDatabase({ dataDir: join(opts.dataDir, 'postgres'), schema: opts.schema, log });
  } catch (error) {
    io.err(`${without ? 'warning' : 'error'}: cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
    return without ? without() : EXIT.failure;
  }
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function main(): void {
  let pending = false;
  const program = buildProgram((p) => {
    pending = true;
    p.then((code) => { process.exitCode = code; }, (e: unknown) => {
      io.err(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      process.exitCode = EXIT.failure;
    }).finally(() => { pending = false; });
  });
  // Nothing left to wait for while the command has not finished (a promise that can never settle):
  // that is a failure, never the 0 of an empty event loop.
  process.once('beforeExit', () => {
    if (!pending) return;
    io.err('internal error: the command stopped before it finished (nothing left to wait for)');
    process.exitCode = EXIT.failure;
  });
  try {
    program.parse(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : EXIT.usage;
    else throw e;
  }
}

main();
