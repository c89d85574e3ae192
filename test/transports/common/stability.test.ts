import { describe, expect, it } from 'vitest';
import { StabilityTracker } from '../../../src/transports/common/stability.js';

describe('StabilityTracker', () => {
  it('a file is stable after two looks settleMs apart that agree', () => {
    let now = 1000;
    const t = new StabilityTracker(500, () => now);
    const f = { size: 10, mtimeMs: 5 };
    expect(t.look('a', f)).toBe('pending');
    now += 200;
    expect(t.look('a', f)).toBe('pending');
    expect(t.remainingMs('a')).toBe(300);
    now += 300;
    expect(t.look('a', f)).toBe('stable');
  });

  it('a change starts the wait again', () => {
    let now = 0;
    const t = new StabilityTracker(100, () => now);
    t.look('a', { size: 1, mtimeMs: 1 });
    now = 150;
    expect(t.look('a', { size: 2, mtimeMs: 2 })).toBe('pending');
    now = 200;
    expect(t.look('a', { size: 2, mtimeMs: 2 })).toBe('pending');
    now = 250;
    expect(t.look('a', { size: 2, mtimeMs: 2 })).toBe('stable');
  });

  it('forgets files that went away, and takes at first sight without a settle time', () => {
    let now = 0;
    const t = new StabilityTracker(100, () => now);
    t.look('a', { size: 1, mtimeMs: 1 });
    t.look('b', { size: 1, mtimeMs: 1 });
    t.keepOnly(['b']);
    expect(t.size).toBe(1);
    t.forget('b');
    expect(t.size).toBe(0);
    expect(new StabilityTracker(0).look('x', { size: 1, mtimeMs: 1 })).toBe('stable');
  });
});
