// Imports point downward: a module imports its own layer and those below (docs/architecture.md#layers).
// Every folder of src/ must have a layer, so a new folder is placed on purpose.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS: Record<string, number> = {
  errors: 1, logging: 1, util: 1,
  x12: 2, documents: 2, auth: 2, as2: 2,
  maps: 3, acks: 3,
  store: 4, partners: 4,
  odoo: 5, transports: 5,
  jobs: 6, inbound: 6, alerts: 6,
  http: 7,
  cli: 8, runtime: 8,
};

const SRC = join(process.cwd(), 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative specifiers of import/export ... from, and dynamic import(). */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    found.push((m[1] ?? m[2])!);
  }
  return found;
}

function layerOf(file: string): { folder: string; layer: number | undefined } {
  const folder = relative(SRC, file).split(/[\\/]/)[0]!;
  return { folder, layer: LAYERS[folder] };
}

describe('layers', () => {
  const files = sourceFiles(SRC);

  it('reads the imports of a module, static and dynamic', () => {
    expect(importsOf("import { a } from '../x/a.js';\nexport { b } from './b.js';\nimport type {\n  C,\n} from '../../c.js';\nconst d = await import('../d.js');\nimport 'node:fs';"))
      .toEqual(['../x/a.js', './b.js', '../../c.js', '../d.js']);
  });

  it('places every folder of src/ in a layer', () => {
    const unplaced = [...new Set(files.map((f) => layerOf(f)).filter((l) => l.layer === undefined).map((l) => l.folder))];
    expect(unplaced).toEqual([]);
  });

  it('has no import that points up', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const target = normalize(join(dirname(file), spec));
        const to = layerOf(target);
        if (!target.startsWith(SRC)) upward.push(`${relative(SRC, file)} imports ${spec}, outside src/`);
        else if ((to.layer ?? 99) > (from.layer ?? 0)) upward.push(`${relative(SRC, file)} (${from.folder}, layer ${from.layer}) imports ${spec} (${to.folder}, layer ${to.layer})`);
      }
    }
    expect(upward).toEqual([]);
  });
});
