// The lifecycle of partner transports without a gateway: a start that throws leaves the others
// running; a change restarts only the changed partner; stop waits for steps under way.
import { describe, expect, it } from 'vitest';
import { startPartnerTransports } from '../../src/runtime/partner-transports.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import { silentLogger, type Logger } from '../../src/logging/logger.js';
import type { Partner } from '../../src/partners/types.js';
import { folderYaml, GATEWAY_YAML, partnersFolder } from '../partners/support.js';

function errorsOf(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const log: Logger & { errors: string[] } = { ...silentLogger, errors, error: (_d, m) => void errors.push(m ?? ''), child: () => log };
  return log;
}

describe('startPartnerTransports', () => {
  it('one partner failing to start does not stop the others; changes restart only that partner', async () => {
    const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'a.yaml': folderYaml('AAA', 'a'), 'b.yaml': folderYaml('BBB', 'b') });
    const first = await loadPartners(f.dir, {});
    const directory = partnerDirectory(first);
    const events: string[] = [];
    const log = errorsOf();
    const running = startPartnerTransports({
      directory,
      context: undefined,
      log,
      starters: {
        folder: async (p: Partner) => {
          await new Promise((r) => setTimeout(r, 5));
          if (p.code === 'a' && p.maxFileBytes !== 10) throw new Error('folder /x is not writable');
          events.push(`start ${p.code}`);
          return { stop: async () => void events.push(`stop ${p.code}`) };
        },
      },
    });
    await running.settled();
    expect(running.running()).toEqual(['b']);
    expect(log.errors).toEqual(['partner transport could not start']);

    await f.write('a.yaml', folderYaml('AAA', 'a', 'maxFileBytes: 10'));
    directory.replace(await loadPartners(f.dir, {}));
    await running.settled();
    expect(running.running()).toEqual(['a', 'b']);
    expect(events).toEqual(['start b', 'start a']);

    await running.stop();
    expect(running.running()).toEqual([]);
    expect(events.slice(2).sort()).toEqual(['stop a', 'stop b']);
    // After stop, a reload starts nothing.
    directory.replace({ partners: new Map(), gateway: {} });
    await running.settled();
    expect(events).toHaveLength(4);
    await f.remove();
  });
});
