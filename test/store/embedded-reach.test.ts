// As root the embedded server runs as the postgres user, which must pass through every folder down
// to its data folder and to the library's binaries: letOthersTraverse grants exactly that (o+x on
// the folders lacking it, nothing else) and says which folders it changed.
import { silentLogger, type Logger } from '../../src/logging/logger.js';
import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { letOthersTraverse } from '../../src/store/embedded.js';

describe('letOthersTraverse', () => {
  it('adds o+x to the closed folders on the way down, keeps every other bit, and names them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'reach-')); // 0700, as mktemp -d makes it
    const middle = join(root, 'checkout');
    const inner = join(middle, 'node_modules');
    mkdirSync(inner, { recursive: true });
    chmodSync(middle, 0o750);
    chmodSync(inner, 0o755);
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (_d, m) => void warnings.push(m ?? '') };
    await letOthersTraverse(inner, 'the PostgreSQL binaries', log);
    expect(statSync(root).mode & 0o777).toBe(0o701);
    expect(statSync(middle).mode & 0o777).toBe(0o751);
    expect(statSync(inner).mode & 0o777).toBe(0o755);
    expect(warnings).toEqual([
      `made ${middle} traversable for other users (chmod o+x): the embedded PostgreSQL runs as the postgres user and must reach the PostgreSQL binaries`,
      `made ${root} traversable for other users (chmod o+x): the embedded PostgreSQL runs as the postgres user and must reach the PostgreSQL binaries`,
    ]);
    await letOthersTraverse(inner, 'the PostgreSQL binaries', log);
    expect(warnings).toHaveLength(2);
  });
});
