// The measured stages of the X12 benchmark, each streaming the file from disk.
import { createReadStream } from 'node:fs';
import { Tokenizer } from '../src/x12/tokenizer.js';
import { readX12Stream } from '../src/x12/reader.js';
import { examineTransaction, findingsOf } from '../src/inbound/examine.js';
import { Validator } from '../src/x12/validate.js';

const CHUNK = 65536;

export async function tokenizeOnly(file: string): Promise<number> {
  let segments = 0;
  const t = new Tokenizer({ segment: () => { segments++; }, problem: () => {} });
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) t.push(chunk as Buffer);
  t.end();
  return segments;
}

/** Tokenize, check envelopes and validate every set against its spec (no mapping). */
export async function validateOnly(file: string): Promise<{ sets: number; errors: number }> {
  let sets = 0;
  let errors = 0;
  const validator = new Validator();
  await readX12Stream(createReadStream(file, { highWaterMark: CHUNK }), {
    transaction(tx, group, ic) {
      sets++;
      errors += findingsOf(examineTransaction(tx, group, ic, { file, map: false, validator })).filter((f) => f.severity === 'error').length;
    },
  }, { file });
  return { sets, errors };
}

/** Tokenize, validate and map every set to its canonical document. */
export async function fullParse(file: string): Promise<{ documents: number; errors: number; sets: number }> {
  let documents = 0;
  let errors = 0;
  let sets = 0;
  // Validates each set, then maps it with the element boundaries the validator noted.
  const validator = new Validator();
  await readX12Stream(createReadStream(file, { highWaterMark: CHUNK }), {
    transaction(tx, group, ic) {
      sets++;
      const r = examineTransaction(tx, group, ic, { file, validator });
      if (r.document) documents++;
      errors += findingsOf(r).filter((f) => f.severity === 'error').length;
    },
  }, { file });
  return { documents, errors, sets };
}
