// npm run bench: X12 engine throughput and memory, all figures from one run.
//  - MB/s for tokenizing, tokenizing + envelope + validation, and the full parse to canonical
//    documents, over a ~20 MB interchange of 850s and over a large 856;
//  - node-x12's full parse of the same 850 file (in a child process), as a ratio;
//  - peak RSS of a child process streaming a 500 MB file through the full parse.
// Ends with one JSON line holding the figures. Machines here are noisy: compare ratios.
import { mkdirSync, statSync, createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { write850File, write856File } from './generate.js';
import { fullParse, tokenizeOnly, validateOnly } from './stages.js';

// npm run bench runs the compiled bench (dist/bench): children then carry no TypeScript loader,
// whose ~30 MB would otherwise count in the peak RSS. Run from source (tsx), children use tsx too.
const compiled = import.meta.url.endsWith('.js');

const here = fileURLToPath(new URL('.', import.meta.url));
const out = fileURLToPath(new URL(compiled ? '../../bench/out/' : './out/', import.meta.url));
mkdirSync(out, { recursive: true });
const MB = 1e6;
const runs = Number(process.env.BENCH_RUNS ?? 3);

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

function child(script: string, file: string, nodeArgs: string[] = []): { ms: number; maxRssMb: number; sets: number } {
  const entry = join(here, compiled ? script.replace(/\.ts$/, '.js') : script);
  const loader = compiled ? [] : ['--import', 'tsx'];
  const text = execFileSync(process.execPath, [...nodeArgs, ...loader, entry, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(text.trim().split('\n').at(-1) as string);
}

async function repeatFile(src: string, dest: string, targetBytes: number): Promise<number> {
  const size = statSync(src).size;
  const w = createWriteStream(dest);
  let written = 0;
  while (written < targetBytes) {
    for await (const chunk of createReadStream(src, { highWaterMark: 1 << 20 })) if (!w.write(chunk)) await once(w, 'drain');
    written += size;
  }
  w.end();
  await once(w, 'finish');
  return written;
}

const f850 = join(out, '850-20mb.edi');
const f856 = join(out, '856-large.edi');
const f500 = join(out, '850-500mb.edi');

console.log('generating inputs ...');
const g850 = await write850File(f850, 20 * 1024 * 1024);
const g856 = await write856File(f856, 2000, 40);
const size850 = statSync(f850).size;
const size856 = statSync(f856).size;
console.log(`  850 file: ${(size850 / MB).toFixed(1)} MB, ${g850.sets} transaction sets`);
console.log(`  856 file: ${(size856 / MB).toFixed(1)} MB, one set with 2,000 orders x 40 cartons (S/O/P/I)`);

// Warm up the JIT on the real work before measuring.
await fullParse(f850);
await fullParse(f856);

const tok850 = await median(() => tokenizeOnly(f850));
const val850 = await median(() => validateOnly(f850));
const full850 = await median(() => fullParse(f850));
const full856 = await median(() => fullParse(f856));
const check = await fullParse(f850);
if (check.errors > 0 || check.documents !== g850.sets) throw new Error(`full parse of the 850 file gave ${check.documents} documents and ${check.errors} errors`);
const check856 = await fullParse(f856);
if (check856.errors > 0 || check856.documents !== 1) throw new Error(`full parse of the 856 file gave ${check856.documents} documents and ${check856.errors} errors`);

const rate = (bytes: number, ms: number) => bytes / MB / (ms / 1000);
const figures = {
  tokenizeMBs: rate(size850, tok850),
  tokenizeValidateMBs: rate(size850, val850),
  fullParseMBs: rate(size850, full850),
  fullParse856MBs: rate(size856, full856),
  nodeX12FullParseMBs: 0,
  ratioVsNodeX12: 0,
  nodeX12PeakRssMB: 0,
  streaming500MbPeakRssMB: 0,
  streaming500MbMBs: 0,
};
console.log(`tokenize                  ${figures.tokenizeMBs.toFixed(1)} MB/s`);
console.log(`tokenize + validate       ${figures.tokenizeValidateMBs.toFixed(1)} MB/s`);
console.log(`full parse to canonical   ${figures.fullParseMBs.toFixed(1)} MB/s (850s)`);
console.log(`full parse to canonical   ${figures.fullParse856MBs.toFixed(1)} MB/s (one large 856)`);

console.log('node-x12 full parse of the same 850 file (child process) ...');
const nx = child('child-node-x12.ts', f850, ['--max-old-space-size=4096']);
figures.nodeX12FullParseMBs = rate(size850, nx.ms);
figures.ratioVsNodeX12 = figures.fullParseMBs / figures.nodeX12FullParseMBs;
figures.nodeX12PeakRssMB = nx.maxRssMb;
console.log(`node-x12 full parse       ${figures.nodeX12FullParseMBs.toFixed(1)} MB/s, peak RSS ${nx.maxRssMb.toFixed(0)} MB; ours is ${figures.ratioVsNodeX12.toFixed(1)}x faster`);

console.log('streaming a 500 MB file through the full parse (child process) ...');
const size500 = await repeatFile(f850, f500, 500 * MB);
const big = child('child-stream.ts', f500);
figures.streaming500MbPeakRssMB = big.maxRssMb;
figures.streaming500MbMBs = rate(size500, big.ms);
console.log(`500 MB streamed           ${figures.streaming500MbMBs.toFixed(1)} MB/s, ${big.sets} sets, peak RSS ${big.maxRssMb.toFixed(0)} MB`);

const targets = {
  tokenize150: figures.tokenizeMBs >= 150,
  fullParse60: figures.fullParseMBs >= 60,
  ratio8x: figures.ratioVsNodeX12 >= 8,
  rssUnder150: figures.streaming500MbPeakRssMB < 150,
};
console.log('targets:', Object.entries(targets).map(([k, v]) => `${k} ${v ? 'met' : 'MISSED'}`).join(', '));
const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 10) / 10]));
console.log(JSON.stringify({ bench: 'x12', ...rounded, targets }));
