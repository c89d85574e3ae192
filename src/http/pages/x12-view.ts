// A transaction set's raw segments as a table a person can read: numbered as acknowledgments count
// them (ST = 1), each element named on hover from our specs (specs/), and the segment and element a
// finding points at highlighted with its message under the segment.
import { getSegmentDictionary } from '../../x12/specs.js';
import { isComposite, type SegmentDictionary } from '../../x12/spec-types.js';
import type { FindingView } from '../views/documents.js';
import { html, type Html } from './html.js';

/** Our specs' version for a GS08 (004010, 004010VICS, 005010...). */
function dictionaryFor(version: string): SegmentDictionary | undefined {
  try {
    return getSegmentDictionary(version.startsWith('00501') ? '005010' : '004010');
  } catch {
    return undefined;
  }
}

/** "BEG03 Purchase Order Number (element 324)". */
function elementTitle(dictionary: SegmentDictionary | undefined, tag: string, position: number): string {
  const designator = `${tag}${String(position).padStart(2, '0')}`;
  const spec = dictionary?.segments[tag]?.elements[position - 1];
  if (!spec) return designator;
  return isComposite(spec) ? `${designator} ${spec.name} (composite ${spec.composite})` : `${designator} ${spec.name} (element ${spec.ref})`;
}

export function x12Table(segments: readonly string[], version: string, findings: readonly FindingView[]): Html {
  const dictionary = dictionaryFor(version);
  const rows = segments.map((text, i) => {
    const position = i + 1;
    const here = findings.filter((f) => f.location?.segmentPosition === position);
    const tag = /^[A-Za-z0-9]+/.exec(text)?.[0] ?? '';
    const separator = text.charAt(tag.length);
    const elements = separator ? text.slice(tag.length + 1).split(separator) : [];
    const bad = new Set(here.map((f) => f.location?.elementPosition).filter((p): p is number => p !== undefined));
    const name = dictionary?.segments[tag.toUpperCase()]?.name;
    const cells = elements.map((value, k) => html`${separator}<span class="el${bad.has(k + 1) ? ' err' : ''}" title="${elementTitle(dictionary, tag.toUpperCase(), k + 1)}">${value}</span>`);
    return html`<tr id="seg-${position}"${here.length ? html` class="err"` : ''}>
  <td class="pos">${position}</td>
  <td><span title="${name ? `${tag} ${name}` : tag}">${tag}</span>${cells}${here.map((f) => html`<div class="why">${f.code ? `${f.code}: ` : ''}${f.message ?? ''}${f.fix ? html`<br><span class="muted">How to fix: ${f.fix}</span>` : ''}</div>`)}</td>
</tr>`;
  });
  return html`<div class="scroll"><table class="x12"><tbody>${rows}</tbody></table></div>`;
}
