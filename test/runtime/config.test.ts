// edi start's configuration: defaults, and every bad value named at once before anything starts.
import { describe, expect, it } from 'vitest';
import { runtimeConfig } from '../../src/runtime/config.js';

describe('runtime configuration', () => {
  it('defaults: the sample drop folder under data/, HTTP on loopback 8080, a 25 s stop', () => {
    const c = runtimeConfig({}, {}, 'partners');
    expect(c).toMatchObject({
      dataDir: 'data', partner: 'sample', inbox: 'data/inbox/sample', archive: 'data/archive/sample', outbound: 'data/outbound/sample',
      intervalMs: 2000, once: false, timeoutMs: 120_000, http: { host: '127.0.0.1', port: 8080 }, stopTimeoutMs: 25_000, postingLeaseSeconds: 60, postingRetryHours: 24, partnersDir: 'partners',
    });
  });

  it('HTTP_HOST/HTTP_PORT and STOP_TIMEOUT_SECONDS from the environment; --once serves HTTP only when HTTP_PORT is set', () => {
    expect(runtimeConfig({}, { HTTP_HOST: '0.0.0.0', HTTP_PORT: '9000', STOP_TIMEOUT_SECONDS: '5', POSTING_LEASE_SECONDS: '90', POSTING_RETRY_HOURS: '0.5' }, 'p')).toMatchObject({ http: { host: '0.0.0.0', port: 9000 }, stopTimeoutMs: 5000, postingLeaseSeconds: 90, postingRetryHours: 0.5 });
    expect(runtimeConfig({ once: true }, {}, 'p').http).toBe(false);
    expect(runtimeConfig({ once: true }, { HTTP_PORT: '0' }, 'p').http).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('names every bad value with what is allowed, under one code', () => {
    let error: unknown;
    try {
      runtimeConfig({ interval: 'soon', partner: 'a/b', timeout: '0' }, { HTTP_PORT: '80808', STOP_TIMEOUT_SECONDS: '-1', POSTING_LEASE_SECONDS: '0', POSTING_RETRY_HOURS: 'a day' }, 'p');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'RUNTIME_CONFIG_INVALID' });
    const message = (error as Error).message;
    for (const part of ['--interval takes a number of seconds (at least 0.1), not "soon"', '--partner takes letters', '--timeout takes a number of seconds (at least 1), not "0"', 'HTTP_PORT takes a port number 0-65535', 'STOP_TIMEOUT_SECONDS takes a number of seconds (at least 0), not "-1"', 'POSTING_LEASE_SECONDS takes a number of seconds (at least 1), not "0"', 'POSTING_RETRY_HOURS takes a number of hours (at least 0), not "a day"']) {
      expect(message).toContain(part);
    }
  });
});
