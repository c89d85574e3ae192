// edi users: add (the first admin, roles, passwords typed twice or piped), list, role, disable and
// enable, tokens (shown once, stored hashed, revoked), each change in the audit trail with the actor.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/auth/passwords.js';
import { secretHash } from '../../src/auth/tokens.js';
import type { Output } from '../../src/cli/commands/inspect.js';
import { usersAddCommand, usersChangeCommand, usersListCommand, usersTokenCreateCommand, usersTokenListCommand, usersTokenRevokeCommand, type PasswordInput, type UsersDeps } from '../../src/cli/commands/users.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { listAudit, userByApiToken, userForLogin } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');

function capture(): Output & { outText: () => string; errText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (t) => void out.push(t), err: (t) => void err.push(t), outText: () => out.join('\n'), errText: () => err.join('\n') };
}

/** A person at a terminal typing these answers, in order. */
function typed(...answers: string[]): PasswordInput {
  return { interactive: true, readStdin: async () => { throw new Error('no stdin here'); }, prompt: async () => answers.shift() ?? '' };
}

const deps = (passwords: PasswordInput): UsersDeps => ({ passwords, scrypt: { ln: 10, r: 8, p: 1 }, actor: 'maria' });

describe('edi users', () => {
  it('says how to create the first admin while there is nobody, then adds one with a password typed twice', async () => {
    const empty = capture();
    expect(await usersListCommand(db, {}, empty)).toBe(EXIT.valid);
    expect(empty.outText()).toBe('no users yet: edi users add NAME --admin creates the first admin');

    const io = capture();
    expect(await usersAddCommand(db, 'Ada', { admin: true }, io, deps(typed('first admin pass', 'first admin pass')))).toBe(EXIT.valid);
    expect(io.outText()).toBe('user Ada added as admin');
    const stored = await userForLogin(db, 'ada');
    expect(stored?.user.role).toBe('admin');
    expect(stored!.passwordHash).not.toContain('first admin pass');
    expect(await verifyPassword('first admin pass', stored!.passwordHash)).toBe(true);
    expect(await listAudit(db, { targetKind: 'user', targetId: 'Ada' })).toMatchObject([{ action: 'users.add', actor: 'maria', via: 'cli', details: { role: 'admin' } }]);
  });

  it('refuses two different passwords, a short one, no terminal without --password-stdin, a taken name in another case and an unknown role', async () => {
    const differ = capture();
    expect(await usersAddCommand(db, 'bob', {}, differ, deps(typed('one password here', 'another password')))).toBe(EXIT.usage);
    expect(differ.errText()).toBe('error: the two passwords differ');
    const short = capture();
    expect(await usersAddCommand(db, 'bob', {}, short, deps(typed('short', 'short')))).toBe(EXIT.usage);
    expect(short.errText()).toMatch(/at least 12 characters/);
    const noTty = capture();
    expect(await usersAddCommand(db, 'bob', {}, noTty, deps({ ...typed(), interactive: false }))).toBe(EXIT.usage);
    expect(noTty.errText()).toMatch(/--password-stdin/);
    const taken = capture();
    expect(await usersAddCommand(db, 'ADA', {}, taken, deps(typed()))).toBe(EXIT.usage);
    expect(taken.errText()).toMatch(/exists already/);
    const role = capture();
    expect(await usersAddCommand(db, 'bob', { role: 'boss' }, role, deps(typed()))).toBe(EXIT.usage);
    expect(role.errText()).toMatch(/unknown role boss/);
    expect(await userForLogin(db, 'bob')).toBeUndefined();
  });

  it('adds with --password-stdin, lists, changes a role, disables and enables, never demotes or disables the last admin', async () => {
    const piped: PasswordInput = { interactive: false, readStdin: async () => 'piped password 42', prompt: async () => '' };
    expect(await usersAddCommand(db, 'bob', { role: 'viewer', passwordStdin: true }, capture(), deps(piped))).toBe(EXIT.valid);
    const list = capture();
    await usersListCommand(db, {}, list);
    expect(list.outText()).toMatch(/^USER\s+ROLE\s+STATE\s+CREATED\s+BY\s+LAST LOGIN\nAda\s+admin\s+active .* maria\s+-\nbob\s+viewer\s+active/);

    const role = capture();
    expect(await usersChangeCommand(db, 'bob', 'role', { role: 'operator', reason: 'joins the EDI desk' }, role, deps(typed()))).toBe(EXIT.valid);
    expect(role.outText()).toBe('bob is now operator');
    expect((await listAudit(db, { targetId: 'bob' }))[0]).toMatchObject({ action: 'users.role', reason: 'joins the EDI desk', details: { from: 'viewer', to: 'operator' } });

    const last = capture();
    expect(await usersChangeCommand(db, 'ada', 'disable', {}, last, deps(typed()))).toBe(EXIT.invalid);
    expect(last.errText()).toMatch(/last enabled admin/);
    expect(await usersChangeCommand(db, 'ada', 'role', { role: 'viewer' }, capture(), deps(typed()))).toBe(EXIT.invalid);

    const disabled = capture();
    expect(await usersChangeCommand(db, 'bob', 'disable', { reason: 'left' }, disabled, deps(typed()))).toBe(EXIT.valid);
    expect(disabled.outText()).toMatch(/bob disabled/);
    expect((await userForLogin(db, 'bob'))!.user.disabledAt).toBeInstanceOf(Date);
    expect(await usersChangeCommand(db, 'bob', 'enable', {}, capture(), deps(typed()))).toBe(EXIT.valid);
    expect((await userForLogin(db, 'bob'))!.user.disabledAt).toBeNull();
    expect(await usersChangeCommand(db, 'nobody', 'disable', {}, capture(), deps(typed()))).toBe(EXIT.notFound);
  });

  it('creates an API token shown once and stored hashed; lists it without the token; revokes it', async () => {
    const io = capture();
    expect(await usersTokenCreateCommand(db, 'bob', { label: 'nightly replay' }, io, deps(typed()))).toBe(EXIT.valid);
    const token = io.outText();
    expect(token).toMatch(/^edi_[A-Za-z0-9_-]{43}$/);
    expect(io.errText()).toMatch(/shown only this once/);
    const rows = await db.query<{ token_hash: string }>(`SELECT token_hash FROM ${db.schema}.api_tokens`);
    expect(rows.rows).toEqual([{ token_hash: secretHash(token) }]);
    expect((await userByApiToken(db, secretHash(token), new Date()))?.user.username).toBe('bob');

    const list = capture();
    await usersTokenListCommand(db, {}, list);
    expect(list.outText()).toMatch(/^ID\s+USER\s+LABEL.*\n\s*1\s+bob\s+nightly replay\s+.*active$/);
    expect(list.outText()).not.toContain(token);

    const revoke = capture();
    const id = list.outText().split('\n')[1]!.trim().split(/\s+/)[0]!;
    expect(await usersTokenRevokeCommand(db, id, { reason: 'rotated' }, revoke, deps(typed()))).toBe(EXIT.valid);
    expect(revoke.outText()).toBe(`API token ${id} of bob (nightly replay) revoked`);
    expect(await userByApiToken(db, secretHash(token), new Date())).toBeUndefined();
    expect(await usersTokenRevokeCommand(db, id, {}, capture(), deps(typed()))).toBe(EXIT.notFound);
    expect((await listAudit(db, { targetKind: 'api_token', targetId: id })).map((a) => a.action)).toEqual(['tokens.revoke', 'tokens.create']);
    expect(await usersTokenCreateCommand(db, 'nobody', { label: 'x' }, capture(), deps(typed()))).toBe(EXIT.notFound);
  });

  it('runs as `edi users add NAME --admin --password-stdin` and never takes the password as an argument', { timeout: 60_000 }, async () => {
    const run = (args: string[], input = '') => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'edi.ts'), ...args, '--schema', db.schema], {
        env: { ...process.env, DATABASE_URL: db.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.stdin.end(input);
      child.on('close', (code) => resolve({ code, out, err }));
    });
    const added = await run(['users', 'add', 'cleo', '--admin', '--password-stdin'], 'cleo piped password\n');
    expect(added).toMatchObject({ code: 0, out: 'user cleo added as admin\n' });
    expect(await verifyPassword('cleo piped password', (await userForLogin(db, 'cleo'))!.passwordHash)).toBe(true);
    const withArgument = await run(['users', 'add', 'dan', '--password', 'dan password 123']);
    expect(withArgument.code).toBe(EXIT.usage);
    expect(withArgument.err).toMatch(/unknown option '--password'/);
  });
});
