// The error `run` throws, checked to be a `type` (a test of a failure fails when nothing is thrown).
import { expect } from 'vitest';

export function thrown<T extends Error>(type: abstract new (...args: never[]) => T, run: () => unknown): T {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error(`expected a ${type.name}`);
}
