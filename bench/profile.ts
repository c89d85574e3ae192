// Profiling aid: node --cpu-prof --import tsx bench/profile.ts FILE [stage]
import { fullParse, validateOnly } from './stages.js';
const file = process.argv[2] as string;
const stage = process.argv[3] ?? 'full';
const t0 = performance.now();
const r = stage === 'validate' ? await validateOnly(file) : await fullParse(file);
console.log(stage, JSON.stringify(r), Math.round(performance.now() - t0), 'ms');
