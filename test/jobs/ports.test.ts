// The pipeline's ports: a pino logger is a Logger as is; TargetError keeps its kind across the stages.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../src/logging/logger.js';
import { isTargetError, TargetError } from '../../src/jobs/ports.js';

describe('ports', () => {
  it('a pino logger fits the Logger port (details first, message second; child loggers)', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log: Logger = pino({ level: 'debug' }, sink);
    log.child({ stage: 'post' }).warn({ documentId: 7 }, 'job failed; it will be retried');
    return new Promise<void>((resolve) => setImmediate(() => {
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, stage: 'post', documentId: 7, msg: 'job failed; it will be retried' });
      expect(silentLogger.child({ a: 1 })).toBe(silentLogger);
      resolve();
    }));
  });

  it('TargetError carries its kind and details; isTargetError recognizes it', () => {
    const e = new TargetError('business', 'unknown product', { fault: 'ValidationError' });
    expect(isTargetError(e)).toBe(true);
    expect(e).toMatchObject({ name: 'TargetError', kind: 'business', details: { fault: 'ValidationError' }, message: 'unknown product' });
    expect(isTargetError(new Error('x'))).toBe(false);
  });
});
