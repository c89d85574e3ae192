// npm run bench: X12 engine throughput and memory, all figures from one run.
//  - MB/s for tokenizing, tokenizing + envelope + validation, and the full parse to canonical
//    documents, over a ~20 MB interchange of 850s and over a large 856 (each with its target);
//  - node-x12's full parse of the same 850 file (in a child process), as a ratio;
//  - peak RSS of a child process running the full parse of the large 856 (one set and its document held at once);
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
// The two full parses in turns, so that a busy spell of the machine slows both alike and their ratio holds.
const full850Times: number[] = [];
const full856Times: number[] = [];
for (let i = 0; i < runs; i++) {
  let t0 = performance.now();
  await fullParse(f850);
  full850Times.push(performance.now() - t0);
  t0 = performance.now();
  await fullParse(f856);
  full856Times.push(performance.now() - t0);
}
const middle = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
const full850 = middle(full850Times);
const full856 = middle(full856Times);
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
  ratio856to850: rate(size856, full856) / rate(size850, full850),
  nodeX12FullParseMBs: 0,
  ratioVsNodeX12: 0,
  nodeX12PeakRssMB: 0,
  fullParse856PeakRssMB: 0,
  streaming500MbPeakRssMB: 0,
  streaming500MbMBs: 0,
};
console.log(`tokenize                  ${figures.tokenizeMBs.toFixed(1)} MB/s`);
console.log(`tokenize + validate       ${figures.tokenizeValidateMBs.toFixed(1)} MB/s`);
// The two full parses side by side, each against its target (issue 10: the large 856 at >= 40 MB/s).
// The 856 is one set of 160,000 HL levels: what it costs beyond the 850s is the hierarchy and
// its document, all held at once. On a noisy machine the ratio of the two is the steadier figure.
const FULL_850_TARGET = 60;
const FULL_856_TARGET = 40;
const verdict = (mbs: number, target: number) => `target >= ${target} MB/s: ${mbs >= target ? 'PASS' : 'FAIL'}`;
console.log(`full parse to canonical   ${figures.fullParseMBs.toFixed(1).padStart(6)} MB/s  850s         ${verdict(figures.fullParseMBs, FULL_850_TARGET)}`);
console.log(`full parse to canonical   ${figures.fullParse856MBs.toFixed(1).padStart(6)} MB/s  large 856    ${verdict(figures.fullParse856MBs, FULL_856_TARGET)}`);
console.log(`  856 / 850 ratio         ${figures.ratio856to850.toFixed(2)} (the targets ask for ${(FULL_856_TARGET / FULL_850_TARGET).toFixed(2)})`);

console.log('node-x12 full parse of the same 850 file (child process) ...');
const nx = child('child-node-x12.ts', f850, ['--max-old-space-size=4096']);
figures.nodeX12FullParseMBs = rate(size850, nx.ms);
figures.ratioVsNodeX12 = figures.fullParseMBs / figures.nodeX12FullParseMBs;
figures.nodeX12PeakRssMB = nx.maxRssMb;
console.log(`node-x12 full parse       ${figures.nodeX12FullParseMBs.toFixed(1)} MB/s, peak RSS ${nx.maxRssMb.toFixed(0)} MB; ours is ${figures.ratioVsNodeX12.toFixed(1)}x faster`);

console.log('full parse of the large 856 (child process) ...');
const one856 = child('child-stream.ts', f856);
figures.fullParse856PeakRssMB = one856.maxRssMb;
console.log(`large 856 full parse      peak RSS ${one856.maxRssMb.toFixed(0)} MB for the ${(size856 / MB).toFixed(1)} MB set (segments and document held at once)`);

console.log('streaming a 500 MB file through the full parse (child process) ...');
const size500 = await repeatFile(f850, f500, 500 * MB);
const big = child('child-stream.ts', f500);
figures.streaming500MbPeakRssMB = big.maxRssMb;
figures.streaming500MbMBs = rate(size500, big.ms);
console.log(`500 MB streamed           ${figures.streaming500MbMBs.toFixed(1)} MB/s, ${big.sets} sets, peak RSS ${big.maxRssMb.toFixed(0)} MB`);

const targets = {
  tokenize150: figures.tokenizeMBs >= 150,
  fullParse60: figures.fullParseMBs >= FULL_850_TARGET,
  fullParse856at40: figures.fullParse856MBs >= FULL_856_TARGET,
  ratio8x: figures.ratioVsNodeX12 >= 8,
  rssUnder150: figures.streaming500MbPeakRssMB < 150,
};
console.log('targets:', Object.entries(targets).map(([k, v]) => `${k} ${v ? 'met' : 'MISSED'}`).join(', '));
const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, k === 'ratio856to850' ? Math.round(v * 100) / 100 : Math.round(v * 10) / 10]));
console.log(JSON.stringify({ bench: 'x12', ...rounded, targets }));
