// Profiling aid: npm run build && node --cpu-prof dist/bench/profile.js FILE [full|validate] [runs]
// Several runs let the JIT settle, so the profile shows the steady state rather than start-up.
import { fullParse, validateOnly } from './stages.js';
const file = process.argv[2] as string;
const stage = process.argv[3] ?? 'full';
const runs = Number(process.argv[4] ?? 1);
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const r = stage === 'validate' ? await validateOnly(file) : await fullParse(file);
  console.log(stage, JSON.stringify(r), Math.round(performance.now() - t0), 'ms');
}
