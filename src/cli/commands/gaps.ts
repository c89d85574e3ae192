// edi gaps fix KIND PARTNER CODE TARGET: the console's master-data gap fix at a terminal. Maps what
// Odoo did not know (a product code, an X12 unit, a ship-to GLN) and replays every document of the
// partner waiting on it, as one audited replay batch (src/jobs/gaps.ts; docs/operations.md#fixing-a-master-data-gap).
import { startGateway, type GatewayOptions } from '../../jobs/gateway.js';
import { GAP_FIX_KINDS, type GapFixKind } from '../../jobs/gaps.js';
import type { Database } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from './inspect.js';
import { cliActor } from './replay.js';

export async function gapsFixCommand(db: Database, args: { kind: string; partner: string; code: string; target: string }, opts: { reason?: string; actor?: string }, io: Output, gatewayOptions: Partial<GatewayOptions> = {}): Promise<number> {
  if (!(GAP_FIX_KINDS as readonly string[]).includes(args.kind)) {
    io.err(`error: the kind is ${GAP_FIX_KINDS.join(', ')}, not ${args.kind}`);
    return EXIT.usage;
  }
  const gateway = await startGateway({ ...gatewayOptions, db, workers: false });
  try {
    const actor = cliActor(opts.actor);
    const result = await gateway.gaps.fix({ kind: args.kind as GapFixKind, partner: args.partner, code: args.code, target: args.target, reason: opts.reason ?? null }, actor);
    io.out(`${args.partner}'s ${args.kind} ${args.code} mapped to ${args.target} (as ${actor.name}); ${result.replayed.length} waiting document(s) replayed as replay batch ${result.batchId}${result.replayed.length ? `: ${result.replayed.join(', ')}` : ''}`);
    for (const s of result.skipped) io.out(`  not replayed${s.documentId ? ` ${s.documentId}` : ''}: ${s.reason}`);
    io.out('a running gateway posts them; edi docs list --search or the console shows how they went');
    return EXIT.valid;
  } finally {
    await gateway.stop();
  }
}
