// A gateway on the test database for a whole test file: started before its tests, stopped after.
//
//   const db = useTestDatabase();
//   const gateway = useTestGateway(db, { workers: false });   // intake only
//   ... await gateway.intake({ ... }) inside the tests
import { afterAll, beforeAll } from 'vitest';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/jobs/gateway.js';
import type { Database } from '../../src/store/index.js';

export function useTestGateway(db: Database, options: Omit<GatewayOptions, 'db'> = {}): Gateway {
  let started: Gateway | undefined;
  beforeAll(async () => {
    started = await startGateway({ db, ...options });
  });
  afterAll(async () => {
    await started?.stop();
  });
  // The gateway exists only once beforeAll ran: every use goes to it then.
  return new Proxy({} as Gateway, {
    get(_, key) {
      if (!started) throw new Error('the test gateway is used before beforeAll started it');
      const value = Reflect.get(started, key) as unknown;
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}
