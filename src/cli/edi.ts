#!/usr/bin/env node
// The edi command line. Commands are thin: they read files, call the functional core
// (src/inbound/examine.ts) and print; exit codes are in ./exit-codes.ts.
import { Command, CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { ackCommand, parseCommand, validateCommand, type Output } from './commands/inspect.js';
import { startCommand } from './commands/start.js';
import { EXIT } from './exit-codes.js';

const io: Output = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };
const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/dist\/$/, '');

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
    .description('run the gateway: today, process the files of a folder (the samples) into documents and acknowledgments')
    .option('--in <dir>', 'folder of inbound files', `${root}samples`)
    .option('--out <dir>', 'where results are written', 'data/out')
    .action((opts) => run(startCommand(opts, io)));
  return program;
}

function main(): void {
  const program = buildProgram((p) => {
    p.then((code) => { process.exitCode = code; }, (e: unknown) => {
      io.err(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      process.exitCode = 70;
    });
  });
  try {
    program.parse(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : EXIT.usage;
    else throw e;
  }
}

main();
