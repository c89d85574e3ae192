// The reasons the code relies on live in this repository (docs/): comments and documents link
// there and never cite the team's private notes, which readers of the repository cannot open.
// A link into docs/ must name a file and a heading that exist (GitHub's anchors), or it leads nowhere.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const SCANNED = ['src', 'test', 'bench', 'scripts', 'docs', 'partners', 'README.md', 'Dockerfile'];
/** Text a person writes; X12 fixtures and generated bench output are data. */
const WRITTEN = /\.(?:ts|js|mjs|md|json|ya?ml)$|(?:^|[\\/])Dockerfile$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out']);

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return WRITTEN.test(path) ? [path] : [];
  return readdirSync(path).flatMap((name) => (SKIPPED_DIRS.has(name) || name.startsWith('.') ? [] : filesUnder(join(path, name))));
}

const files = SCANNED.flatMap((p) => filesUnder(join(ROOT, p)));

/**
 * What cites the private notes: a section sign, a path into the folder beside the repository,
 * the notes' file names, and their upper-case name as a word, except where it is X12 data (the
 * N9 reference our maps write, quoted or after an element separator). The name is spelled with a
 * character class and the file names in pieces so that a plain grep for them does not list this file.
 */
const CITATIONS: readonly RegExp[] = [
  /\u00a7/,
  /\.\.\/shared\b|\/work\/shared\b/,
  /\b(?:STACK|DESIGN|STYLE)\.md\b/,
  /-transcript\.md\b|fields-diff-\d+-vs-\d+|webhook-payloads\.jsonl/,
  /(?<![\w'"*])N[O]TES(?![\w'"*~])/,
];

const cites = (line: string) => CITATIONS.some((re) => re.test(line));

/** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(?:```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** Links to check: Markdown links relative to the document; `docs/<file>.md#<heading>` in code, from the repository root. */
function linksOf(file: string, text: string): { target: string; anchor: string | undefined; written: string }[] {
  const found = file.endsWith('.md')
    ? [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ written: m[1]!, base: dirname(file) })).filter((l) => !/^[a-z]+:/i.test(l.written))
    : [...text.matchAll(/\bdocs\/[\w./-]+\.md(?:#[\w-]+)?/g)].map((m) => ({ written: m[0], base: ROOT }));
  return found.map(({ written, base }) => {
    const [path, anchor] = written.split('#') as [string, string | undefined];
    return { target: path ? normalize(join(base, path)) : file, anchor, written };
  });
}

describe('references to documentation', () => {
  it('recognises a citation of the private notes and leaves X12 data alone', () => {
    // Built in pieces, like the patterns, so that this file holds no citation itself.
    const name = 'NO' + 'TES';
    const section = String.fromCharCode(0xa7);
    const cited = [`(${name} ${section}1.8 trap)`, `X12-${name}.md section 3`, `see ${name}.md`, `(${'STACK'}.md)`, `../${'shared'}/odoo`, `odoo18-rpc${'-transcript'}.md`];
    const data = [`['N9', 'L1', '${name}']`, `N9*L1*${name}~`, `{ reference: "${name}" }`, 'notes go into an N9 loop', 'docs/x12.md#envelopes'];
    expect(cited.filter((l) => !cites(l))).toEqual([]);
    expect(data.filter(cites)).toEqual([]);
  });

  it('no file cites the private notes', () => {
    expect(files.length).toBeGreaterThan(100);
    const hits = files.flatMap((f) =>
      readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (cites(line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('computes anchors the way GitHub does', () => {
    const md = '# X12\n## ISA11: repetition separator or standards id\n```\n# not a heading\n```\n### `edi replay` and 997/999\n## Notes\n## Notes\n';
    expect([...headingAnchors(md)]).toEqual(['x12', 'isa11-repetition-separator-or-standards-id', 'edi-replay-and-997999', 'notes', 'notes-1']);
  });

  it('every link into a document names a file and a heading that exist', () => {
    const anchorsOf = new Map<string, Set<string>>();
    const broken: string[] = [];
    let checked = 0;
    for (const f of files) {
      for (const link of linksOf(f, readFileSync(f, 'utf8'))) {
        checked++;
        if (!existsSync(link.target)) {
          broken.push(`${relative(ROOT, f)}: ${link.written} (no such file)`);
          continue;
        }
        if (link.anchor === undefined || !link.target.endsWith('.md')) continue;
        if (!anchorsOf.has(link.target)) anchorsOf.set(link.target, headingAnchors(readFileSync(link.target, 'utf8')));
        if (!anchorsOf.get(link.target)!.has(link.anchor)) broken.push(`${relative(ROOT, f)}: ${link.written} (no such heading)`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });
});
