// edi users add|list|disable|enable|role|password and edi users token create|list|revoke: who may use
// the operations console and the API (docs/operations.md#users-and-access). There are no default
// credentials: `edi users add NAME --admin` creates the first admin. Passwords are typed twice on a
// terminal or read from stdin (--password-stdin), never taken as an argument (shell history, ps).
// Each change is audited with the OS login name as the actor.
import { DEFAULT_SCRYPT, hashPassword, passwordProblem, type ScryptParams } from '../../auth/passwords.js';
import { isRole, ROLES, type Role } from '../../auth/roles.js';
import { newApiToken, secretHash } from '../../auth/tokens.js';
import { addApiToken, addUser, changeUser, findUser, hasUsers, listApiTokens, listUsers, revokeApiToken, type Database } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { formatTable, timestamp } from '../table.js';
import type { Output } from './inspect.js';
import { cliActor } from './replay.js';

/** Where a password comes from: stdin (scripts) or a prompt without echo (a person at a terminal). */
export interface PasswordInput {
  readonly interactive: boolean;
  /** All of stdin, without its final line break. */
  readStdin(): Promise<string>;
  /** Asks on the terminal without echoing what is typed. */
  prompt(question: string): Promise<string>;
}

export interface UsersDeps {
  passwords?: PasswordInput;
  /** Cheaper scrypt parameters for tests. */
  scrypt?: ScryptParams;
  /** The actor's name (default: the OS login name). */
  actor?: string;
}

export async function usersAddCommand(db: Database, name: string, opts: { role?: string; admin?: boolean; passwordStdin?: boolean }, io: Output, deps: UsersDeps = {}): Promise<number> {
  const role = opts.admin ? 'admin' : (opts.role ?? 'viewer');
  if (!isRole(role)) return usage(io, `unknown role ${role}: one of ${ROLES.join(', ')}`);
  if (opts.admin && opts.role && opts.role !== 'admin') return usage(io, '--admin and --role disagree');
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name)) return usage(io, `${name} is not a user name: letters, digits and . _ @ -, at most 64`);
  if (await findUser(db, name)) {
    io.err(`error: a user ${name} exists already (names are compared without case)`);
    return EXIT.usage;
  }
  const first = !(await hasUsers(db));
  const password = await readNewPassword(opts, io, deps);
  if (password === undefined) return EXIT.usage;
  const user = await addUser(db, { username: name, passwordHash: await hashPassword(password, deps.scrypt ?? DEFAULT_SCRYPT), role }, cliActor(deps.actor));
  if (!user) {
    io.err(`error: a user ${name} exists already`);
    return EXIT.usage;
  }
  io.out(`user ${user.username} added as ${user.role}`);
  if (first && role !== 'admin') io.err(`note: ${user.username} is the only user and not an admin: nobody can manage users in the console (edi users add NAME --admin)`);
  return EXIT.valid;
}

export async function usersListCommand(db: Database, opts: { json?: boolean }, io: Output): Promise<number> {
  const users = await listUsers(db);
  if (opts.json) {
    io.out(JSON.stringify(users, null, 2));
    return EXIT.valid;
  }
  if (!users.length) {
    io.out('no users yet: edi users add NAME --admin creates the first admin');
    return EXIT.valid;
  }
  const rows = users.map((u) => [u.username, u.role, u.disabledAt ? `disabled ${timestamp(u.disabledAt)}` : 'active', timestamp(u.createdAt), u.createdBy, u.lastLoginAt ? timestamp(u.lastLoginAt) : '-']);
  for (const line of formatTable(['USER', 'ROLE', 'STATE', 'CREATED', 'BY', 'LAST LOGIN'], rows)) io.out(line);
  return EXIT.valid;
}

export async function usersChangeCommand(
  db: Database,
  name: string,
  change: 'disable' | 'enable' | 'role' | 'password',
  opts: { role?: string; reason?: string; passwordStdin?: boolean },
  io: Output,
  deps: UsersDeps = {},
): Promise<number> {
  let role: Role | undefined;
  let passwordHash: string | undefined;
  if (change === 'role') {
    if (!opts.role || !isRole(opts.role)) return usage(io, `unknown role ${opts.role ?? ''}: one of ${ROLES.join(', ')}`);
    role = opts.role;
  }
  if (change === 'password') {
    if (!(await findUser(db, name))) return noUser(io, name);
    const password = await readNewPassword(opts, io, deps);
    if (password === undefined) return EXIT.usage;
    passwordHash = await hashPassword(password, deps.scrypt ?? DEFAULT_SCRYPT);
  }
  const result = await changeUser(db, name, {
    ...(role ? { role } : {}),
    ...(passwordHash ? { passwordHash } : {}),
    ...(change === 'disable' ? { disabled: true } : change === 'enable' ? { disabled: false } : {}),
  }, cliActor(deps.actor), opts.reason ? { reason: opts.reason } : {});
  if (!result.ok) {
    if (result.reason === 'no such user') return noUser(io, name);
    io.err(`error: ${name} is the last enabled admin: add another admin first (edi users add NAME --admin)`);
    return EXIT.invalid;
  }
  const u = result.user;
  io.out(change === 'role' ? `${u.username} is now ${u.role}`
    : change === 'password' ? `${u.username}: password changed; their sessions ended`
    : change === 'disable' ? `${u.username} disabled: their sessions ended and their API tokens no longer work`
    : `${u.username} enabled`);
  return EXIT.valid;
}

export async function usersTokenCreateCommand(db: Database, name: string, opts: { label?: string }, io: Output, deps: UsersDeps = {}): Promise<number> {
  const label = opts.label?.trim();
  if (!label) return usage(io, 'give the token a --label saying what uses it (e.g. --label nightly-replay)');
  const token = newApiToken();
  const created = await addApiToken(db, name, { tokenHash: secretHash(token), label }, cliActor(deps.actor));
  if (!created) return noUser(io, name, ' (or it is disabled)');
  io.err(`API token ${created.id} for ${created.username} (${created.label}); it acts with ${created.username}'s role. Store it now: it is shown only this once.`);
  io.out(token);
  return EXIT.valid;
}

export async function usersTokenListCommand(db: Database, opts: { user?: string; json?: boolean }, io: Output): Promise<number> {
  let userId: number | undefined;
  if (opts.user) {
    const u = await findUser(db, opts.user);
    if (!u) return noUser(io, opts.user);
    userId = u.id;
  }
  const tokens = await listApiTokens(db, userId === undefined ? {} : { userId });
  if (opts.json) {
    io.out(JSON.stringify(tokens, null, 2));
    return EXIT.valid;
  }
  if (!tokens.length) {
    io.out('no API tokens');
    return EXIT.valid;
  }
  const rows = tokens.map((t) => [t.id, t.username, t.label, timestamp(t.createdAt), t.lastUsedAt ? timestamp(t.lastUsedAt) : '-', t.revokedAt ? `revoked ${timestamp(t.revokedAt)}` : 'active']);
  for (const line of formatTable(['ID', 'USER', 'LABEL', 'CREATED', 'LAST USED', 'STATE'], rows)) io.out(line);
  return EXIT.valid;
}

export async function usersTokenRevokeCommand(db: Database, idText: string, opts: { reason?: string }, io: Output, deps: UsersDeps = {}): Promise<number> {
  if (!/^\d+$/.test(idText.trim()) || Number(idText) <= 0) return usage(io, `${idText} is not a token id (edi users token list)`);
  const revoked = await revokeApiToken(db, Number(idText), cliActor(deps.actor), opts.reason ? { reason: opts.reason } : {});
  if (!revoked) {
    io.err(`error: no active API token ${idText}`);
    return EXIT.notFound;
  }
  io.out(`API token ${revoked.id} of ${revoked.username} (${revoked.label}) revoked`);
  return EXIT.valid;
}

/** A new password: from stdin with --password-stdin, else typed twice on the terminal. */
async function readNewPassword(opts: { passwordStdin?: boolean }, io: Output, deps: UsersDeps): Promise<string | undefined> {
  const input = deps.passwords ?? terminalPasswords();
  let password: string;
  if (opts.passwordStdin) {
    password = await input.readStdin();
  } else {
    if (!input.interactive) {
      io.err('error: no terminal to type the password on: pipe it in with --password-stdin');
      return undefined;
    }
    password = await input.prompt('Password: ');
    if ((await input.prompt('Password again: ')) !== password) {
      io.err('error: the two passwords differ');
      return undefined;
    }
  }
  const problem = passwordProblem(password);
  if (problem) {
    io.err(`error: ${problem}`);
    return undefined;
  }
  return password;
}

function usage(io: Output, message: string): number {
  io.err(`error: ${message}`);
  return EXIT.usage;
}

function noUser(io: Output, name: string, more = ''): number {
  io.err(`error: no user ${name}${more} (edi users list)`);
  return EXIT.notFound;
}

/** The process's stdin: a terminal prompt without echo, or all of a pipe. */
export function terminalPasswords(stdin: NodeJS.ReadStream = process.stdin, prompts: NodeJS.WriteStream = process.stderr): PasswordInput {
  return {
    interactive: Boolean(stdin.isTTY),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
    },
    prompt(question) {
      return new Promise((resolve, reject) => {
        prompts.write(question);
        let value = '';
        const finish = () => {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          prompts.write('\n');
        };
        const onData = (chunk: Buffer | string) => {
          for (const ch of String(chunk)) {
            if (ch === '\r' || ch === '\n' || ch === '\u0004') {
              finish();
              resolve(value);
              return;
            }
            if (ch === '\u0003') {
              finish();
              reject(new Error('cancelled'));
              return;
            }
            value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
          }
        };
        stdin.setRawMode(true);
        stdin.setEncoding('utf8');
        stdin.on('data', onData);
        stdin.resume();
      });
    },
  };
}
