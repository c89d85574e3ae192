// The runtime's log folds a repeated warning (the same message from the same component) into one
// line per period, and the next line carries how many were folded.
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logging/logger.js';
import { limitRepeats } from '../../src/runtime/repeat-limit.js';

function recorder() {
  const lines: Array<{ level: string; details: Record<string, unknown>; message: string }> = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at = (level: string) => (details: object, message?: string) => void lines.push({ level, details: { ...bindings, ...details }, message: message ?? '' });
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => make({ ...bindings, ...b }) };
  };
  return { lines, log: make({}) };
}

describe('limitRepeats', () => {
  it('logs a repeated warning once per period per component, then says how many were folded; info lines all pass', () => {
    let now = 0;
    const { lines, log } = recorder();
    const limited = limitRepeats(log, 30_000, () => now);
    const tail = limited.child({ component: 'tail' });
    const folder = limited.child({ component: 'folder' });
    for (let i = 0; i < 120; i++) {
      now = i * 250; // four times a second for 30 s
      tail.warn({ error: 'ECONNREFUSED' }, 'cannot read the event log');
      folder.warn({ error: 'ECONNREFUSED' }, 'cannot read the event log');
      tail.info({}, 'a state change');
    }
    now = 30_000;
    tail.warn({ error: 'ECONNREFUSED' }, 'cannot read the event log');
    tail.error({}, 'another trouble');
    const warnings = lines.filter((l) => l.level !== 'info');
    expect(warnings.map((l) => [l.details.component, l.message, l.details.repeatedSinceLastLine])).toEqual([
      ['tail', 'cannot read the event log', undefined],
      ['folder', 'cannot read the event log', undefined],
      ['tail', 'cannot read the event log', 119],
      ['tail', 'another trouble', undefined],
    ]);
    expect(lines.filter((l) => l.level === 'info')).toHaveLength(120);
  });
});
