// Secrets named by partner files ({ env: NAME } / { file: /path }), read only when used. A Secret
// holds where the value lives, never the value; errors name the variable or the file, never a value.
//
//   const password = partner.transport.password?.reveal();   // throws SecretError when unset/unreadable
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { GatewayError } from '../errors/failure.js';
import type { SecretRef } from './schema.js';
import type { Secret } from './types.js';

/** PARTNER_SECRET_UNREADABLE: the message names the variable or file, never a value. */
export class SecretError extends GatewayError {
  override name = 'SecretError';
  constructor(message: string) {
    super('PARTNER_SECRET_UNREADABLE', message);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface SecretOptions {
  /** Where the secret is used, for messages: 'partners/acme.yaml: transport.password'. */
  where: string;
  /** Read at reveal() time, so a variable set after loading counts (process.env is live). */
  env: Env;
  /** Relative file paths resolve against this folder (the partner file's folder). */
  baseDir: string;
}

export function makeSecret(ref: SecretRef, options: SecretOptions): Secret {
  const source: Secret['source'] = 'env' in ref ? 'env' : 'file';
  const target = 'env' in ref ? ref.env : isAbsolute(ref.file) ? ref.file : resolve(options.baseDir, ref.file);
  const label = source === 'env' ? `environment variable ${target}` : `file ${target}`;
  const bytes = (): Buffer => {
    if (source === 'env') {
      const value = options.env[target];
      if (value === undefined || value === '') {
        throw new SecretError(`${options.where}: the ${label} is not set (the partner file names it as the secret's source)`);
      }
      return Buffer.from(value, 'utf8');
    }
    try {
      return readFileSync(target);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      throw new SecretError(`${options.where}: cannot read the ${label} (${code})`);
    }
  };
  const secret: Secret = {
    source,
    ref: target,
    // A file written by an editor ends with a newline that is not part of a password.
    reveal: () => bytes().toString('utf8').replace(/\r?\n$/, ''),
    revealBytes: bytes,
  };
  // Printing a Secret shows where it comes from, never its value.
  Object.defineProperties(secret, {
    toString: { value: () => `[secret from ${label}]`, enumerable: false },
    toJSON: { value: () => ({ [source]: target }), enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => `[secret from ${label}]`, enumerable: false },
  });
  return Object.freeze(secret);
}

/** Whether the secret can be read now: undefined, or the message of the SecretError (never a value). */
export function secretProblem(secret: Secret): string | undefined {
  try {
    secret.revealBytes();
    return undefined;
  } catch (error) {
    return error instanceof SecretError ? error.message : String(error);
  }
}
