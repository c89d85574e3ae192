// Reads an input file for the CLI and examines it, with the acknowledgment settings a
// command line can give (partner profiles come with the partners issue).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { GatewayError } from '../errors/failure.js';
import { examineFile, type FileExamination } from '../inbound/examine.js';
import { ackPolicy } from '../acks/policy.js';
import type { AckIdentity } from '../acks/respond.js';
import type { FunctionalGroup, Interchange } from '../x12/model.js';

export interface InspectOptions {
  ack?: string;
  allowVariableIsa?: boolean;
  ourQualifier?: string;
  ourId?: string;
  control?: string;
}

/** CLI_FILE_UNREADABLE: the message names the path. */
export class UnreadableFile extends GatewayError {
  override name = 'UnreadableFile';
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLI_FILE_UNREADABLE', message, {}, options);
  }
}

export async function loadAndExamine(path: string, opts: InspectOptions, now = new Date()): Promise<FileExamination> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UnreadableFile(err.code === 'ENOENT' ? `${path}: no such file` : err.code === 'EISDIR' ? `${path}: is a folder, not a file` : `${path}: cannot be read (${err.code ?? err.message})`, { cause: e });
  }
  const kind = opts.ack === '999' ? '999' : '997';
  let set = 0;
  const control = opts.control ?? '1';
  // --control numbers the acknowledgment interchange and its first group; further GS*FA groups (one per
  // application sender answered) take the numbers after it (after 0 when --control is not a number).
  let groups = 0;
  const nextGroup = (): string => (groups++ === 0 ? control : String((/^\d+$/.test(control) ? Number(control) : 0) + groups - 1));
  return examineFile(bytes, {
    file: basename(path),
    allowVariableIsa: opts.allowVariableIsa ?? false,
    ack: {
      policy: ackPolicy({ kind }),
      identity: (ic) => identityFor(ic, opts),
      controlNumbers: { interchange: control, group: nextGroup, nextSet: () => String(++set).padStart(4, '0') },
      now,
    },
  });
}

/** Without a partner profile we answer as the receiver the partner addressed: each group from the GS03 it addressed. */
function identityFor(ic: Interchange, opts: InspectOptions): AckIdentity {
  const id = opts.ourId ?? ic.header.receiverId;
  const gsId = opts.ourId ?? ((g: FunctionalGroup) => g.header.receiverId || id);
  return { isaQualifier: opts.ourQualifier ?? ic.header.receiverQualifier, isaId: id, gsId };
}
