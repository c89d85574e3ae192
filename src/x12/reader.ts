// Entry points for reading X12: whole input in memory (readX12) or streamed chunk by
// chunk with a handler per transaction set (readX12Stream), memory bounded by the
// largest transaction set rather than by the file.
import type { ReadResult } from './model.js';
import { Tokenizer } from './tokenizer.js';
import { EnvelopeReader, type EnvelopeHandlers } from './envelope.js';
import { finding, type Finding } from '../errors/finding.js';
import { functionalGroupFor } from './specs.js';

export interface ReadOptions {
  /** File name used in every finding's location. */
  file?: string;
  /** Partner setting: a variable-width ISA is a warning rather than an error. */
  allowVariableIsa?: boolean;
  /** The input is the rest of a file from this byte and line, after an interchange (offsets and lines are the file's). */
  from?: { offset: number; line: number };
  /** Sets of this many segments and more are held compactly (see segment-list.ts); the default suits all but tests. */
  compactFrom?: number;
}

/** Wires a tokenizer to an envelope reader; returns the tokenizer to push bytes into. */
export function createX12Reader(handlers: EnvelopeHandlers, options: ReadOptions & { keepTransactions?: boolean } = {}): {
  push(chunk: Uint8Array | string): void;
  end(): void;
} {
  let bytes = 0;
  let nonBlank = false;
  const envelope = new EnvelopeReader(handlers, { groupOf: functionalGroupFor, ...options });
  const tokenizer = new Tokenizer(
    { segment: (s) => envelope.segment(s), problem: (p) => envelope.problem(p), noted: (tag, src, k) => envelope.noted(tag, src, k) },
    { onIsa: (seg, width, expected) => envelope.isaWidth(seg, width, expected), ...(options.from ? { start: options.from } : {}) },
  );
  return {
    push(chunk) {
      bytes += chunk.length;
      if (!nonBlank) nonBlank = /[^\s\u0000\u001a\ufeff]/.test(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, ''));
      tokenizer.push(chunk);
    },
    end() {
      if (!nonBlank) {
        const loc = options.file !== undefined ? { file: options.file, offset: 0, line: 1 } : { offset: 0, line: 1 };
        handlers.fileFinding?.(finding('X12_EMPTY_FILE', bytes === 0 ? 'the file is empty (0 bytes)' : `the file holds only white space (${bytes} bytes)`, loc));
        return;
      }
      tokenizer.end();
      envelope.end();
    },
  };
}

/** Reads a whole X12 input in memory: every interchange, group and set, with all envelope findings. */
export function readX12(input: string | Uint8Array, options: ReadOptions = {}): ReadResult {
  const result: ReadResult = { interchanges: [], findings: [] };
  if (options.file !== undefined) result.file = options.file;
  const reader = createX12Reader(
    {
      interchange: (ic) => result.interchanges.push(ic),
      fileFinding: (f) => result.findings.push(f),
    },
    { ...options, keepTransactions: true },
  );
  reader.push(input);
  reader.end();
  return result;
}

/** Streams an X12 input: handlers see each set as its SE arrives; sets are not kept in their groups. */
export async function readX12Stream(source: AsyncIterable<Uint8Array | string>, handlers: EnvelopeHandlers, options: ReadOptions = {}): Promise<void> {
  const reader = createX12Reader(handlers, { ...options, keepTransactions: false });
  for await (const chunk of source) reader.push(chunk);
  reader.end();
}

/** Every finding of a read, file level first, then per interchange, group and set, in file order. */
export function allFindings(result: ReadResult): Finding[] {
  const out: Finding[] = [...result.findings];
  for (const ic of result.interchanges) {
    out.push(...ic.findings);
    for (const g of ic.groups) {
      out.push(...g.findings);
      for (const tx of g.transactions) out.push(...tx.findings);
    }
  }
  return out;
}
