// Who is asking: the plugin behind every console page and API route (docs/operations.md#users-and-access).
// - POST /login (JSON or form: username, password) starts a session: a random token in an HttpOnly,
//   SameSite=Lax cookie, only its sha256 in the database; POST /logout ends it there.
// - Every request gets `request.user`: from the session cookie or from `Authorization: Bearer <API token>`.
// - `requireRole('operator')` guards a route; a mutating request that came with the cookie must also
//   carry the session's CSRF token (X-CSRF-Token header or _csrf form field); an API token needs none
//   (a browser never sends it by itself).
// - Failed logins are counted in the database (per name and per client address), so the limit holds
//   across gateway processes; past it: 429 with Retry-After.
// Registered at the root (not encapsulated), so its hooks run for every plugin's routes.
import type { PageViewer } from './pages/layout.js';
import type { FastifyPluginAsync, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type pg from 'pg';
import { DEFAULT_SCRYPT, verifyNobody, verifyPassword, type ScryptParams } from '../auth/passwords.js';
import { DEFAULT_LOGIN_LIMITS, lookbackStart, loginVerdict, type LoginLimits } from '../auth/rate-limit.js';
import { ACTIONS, atLeast, can, type Action, type Role } from '../auth/roles.js';
import { cookieValue, DEFAULT_SESSION_POLICY, SESSION_COOKIE, setCookie, type SessionPolicy } from '../auth/sessions.js';
import { API_TOKEN_PREFIX, newSecret, sameSecret, secretHash } from '../auth/tokens.js';
import type { Logger } from '../logging/logger.js';
import {
  endSession, hasUsers, pruneAccess, sessionByToken, settleLoginAttempt, startLoginAttempt, startSession, touchSession, userByApiToken, userForLogin,
  type Actor, type Conn,
} from '../store/index.js';

/** What the console and `POST /login` say while nobody can log in yet. */
export const FIRST_ADMIN_MESSAGE = 'No user exists yet. On the gateway machine, run `npm run edi -- users add NAME --admin` to create the first admin, then log in.';

export interface AccessUser {
  id: number;
  username: string;
  role: Role;
  via: 'session' | 'token';
  /** The session's CSRF token (sessions only): the console puts it in its forms. */
  csrfToken?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user, or null (see src/http/auth.ts). */
    user: AccessUser | null;
  }
}

export interface AccessOptions {
  db: Conn & { pool: pg.Pool };
  log: Logger;
  /** The clock (tests move it). */
  now?: () => Date;
  limits?: LoginLimits;
  session?: SessionPolicy;
  /** The parameters users' hashes have (edi users add): a name nobody has costs the same time. */
  scrypt?: ScryptParams;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CSRF_HEADER = 'x-csrf-token';
const CSRF_FIELD = '_csrf';

/** The preHandler of a route `role` and above may use: 401 without a user, 403 below the role. */
export function requireRole(role: Role): preHandlerHookHandler {
  return async (request, reply) => {
    if (!request.user) return reply.status(401).send({ error: 'log in first (POST /login), or send Authorization: Bearer <API token>' });
    if (!atLeast(request.user.role, role)) return reply.status(403).send({ error: `this needs the ${role} role; ${request.user.username} is ${request.user.role}` });
  };
}

/** Who looks at a console page: the logged-in user with the session's CSRF token for its forms, or null. */
export function pageViewer(request: FastifyRequest): PageViewer | null {
  const u = request.user;
  return u ? { username: u.username, role: u.role, ...(u.csrfToken ? { csrfToken: u.csrfToken } : {}) } : null;
}

/** Who acts, for the audit trail and the timeline. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.user) throw new Error('actorOf: no user (guard the route with requireRole)');
  return { name: request.user.username, userId: request.user.id, via: request.user.via };
}

/**
 * The cookie's Secure flag: set unless the request came over plain http from this machine (loopback)
 * and no proxy in front said https. A browser drops a Secure cookie over plain http, so a console
 * reached over plain http from elsewhere cannot log in: put TLS in front (docs/operations.md#users-and-access).
 */
export function secureCookie(request: FastifyRequest): boolean {
  const forwarded = String(request.headers['x-forwarded-proto'] ?? '').toLowerCase();
  if (request.protocol === 'https' || forwarded.split(',').some((p) => p.trim() === 'https')) return true;
  return !isLoopback(request.socket.remoteAddress ?? '');
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

export function accessRoutes(options: AccessOptions): FastifyPluginAsync {
  const { db, log } = options;
  const now = options.now ?? (() => new Date());
  const limits = options.limits ?? DEFAULT_LOGIN_LIMITS;
  const policy = options.session ?? DEFAULT_SESSION_POLICY;

  const plugin: FastifyPluginAsync = async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
    }
    app.decorateRequest('user', null);

    app.addHook('onRequest', async (request, reply) => {
      // A route with its own credentials (GET /metrics and its METRICS_TOKEN) is not a console user's.
      if ((request.routeOptions.config as { ownAuthentication?: boolean } | undefined)?.ownAuthentication) return;
      const authorization = request.headers.authorization;
      if (authorization !== undefined) {
        const m = /^Bearer\s+(\S+)$/i.exec(authorization);
        const found = m?.[1]?.startsWith(API_TOKEN_PREFIX) ? await userByApiToken(db, secretHash(m[1]), now()) : undefined;
        // A wrong token is refused outright, not taken as "nobody": a script must hear its token is bad.
        if (!found) return reply.status(401).send({ error: 'unknown or revoked API token (edi users token create)' });
        request.user = { id: found.user.id, username: found.user.username, role: found.user.role, via: 'token' };
        return;
      }
      const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
      if (!token) return;
      const at = now();
      const session = await sessionByToken(db, secretHash(token), at);
      if (!session) return;
      if (at.getTime() - session.lastSeenAt.getTime() >= policy.touchEveryMs) {
        await touchSession(db, session.sessionId, at, new Date(at.getTime() + policy.idleMs));
      }
      request.user = { id: session.user.id, username: session.user.username, role: session.user.role, via: 'session', csrfToken: session.csrfToken };
    });

    // After the body is read (the token may be a form field).
    app.addHook('preHandler', async (request, reply) => {
      if (request.user?.via !== 'session' || SAFE_METHODS.has(request.method) || request.routeOptions.url === '/login') return;
      const body = request.body as Record<string, unknown> | undefined;
      const given = request.headers[CSRF_HEADER] ?? (body && typeof body === 'object' ? body[CSRF_FIELD] : undefined);
      if (typeof given !== 'string' || !sameSecret(given, request.user.csrfToken!)) {
        log.warn({ user: request.user.username, method: request.method, url: request.routeOptions.url }, 'request refused: CSRF token missing or wrong');
        return reply.status(403).send({ error: `CSRF token missing or wrong: send the csrfToken of GET /api/me as the X-CSRF-Token header or the ${CSRF_FIELD} form field` });
      }
    });

    app.get('/api/access', { schema: { summary: 'whether anyone can log in yet (no user: how to create the first admin)', tags: ['access'] } }, async () => {
      const any = await hasUsers(db);
      return any ? { needsFirstAdmin: false } : { needsFirstAdmin: true, message: FIRST_ADMIN_MESSAGE };
    });

    app.post('/login', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const form = isForm(request);
      // A browser's form gets the login page again with the reason; a script gets the status and JSON.
      const refuse = (status: number, error: string) =>
        form ? reply.redirect(`/login?error=${encodeURIComponent(error)}`, 303) : reply.status(status).send({ error });
      const username = typeof body.username === 'string' ? body.username.trim() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      if (!username || !password) return refuse(400, 'send username and password (JSON or a form)');
      if (!(await hasUsers(db))) return refuse(409, FIRST_ADMIN_MESSAGE);
      const at = now();
      const address = request.ip;
      const attempt = await startLoginAttempt(db, {
        username: username.toLowerCase(), address, now: at, since: lookbackStart(limits, at),
        usernameMax: limits.perUsername.max, addressMax: limits.perAddress.max,
      });
      const verdict = loginVerdict({ username: attempt.usernameFailures, address: attempt.addressFailures }, limits, at);
      if (!verdict.allowed) {
        await settleLoginAttempt(db, attempt.id, 'refused');
        log.warn({ username, ip: address, by: verdict.by, retryAfterSeconds: verdict.retryAfterSeconds }, 'login refused: too many failed logins');
        const error = `too many failed logins ${verdict.by === 'username' ? 'for this name' : 'from this address'}; try again in ${verdict.retryAfterSeconds} s`;
        void reply.header('retry-after', String(verdict.retryAfterSeconds));
        return refuse(429, error);
      }
      const found = await userForLogin(db, username);
      // The same work whether the name exists or not, so the answer's timing tells nothing.
      const ok = found ? (await verifyPassword(password, found.passwordHash)) && !found.user.disabledAt : await verifyNobody(password, options.scrypt ?? DEFAULT_SCRYPT);
      if (!ok || !found) {
        await settleLoginAttempt(db, attempt.id, 'failed');
        log.info({ username, ip: address }, 'login failed');
        return refuse(401, 'wrong name or password');
      }
      await settleLoginAttempt(db, attempt.id, 'succeeded');
      const token = newSecret();
      const csrfToken = newSecret();
      const user = found.user;
      await startSession(db, {
        tokenHash: secretHash(token), userId: user.id, csrfToken, now: at, address,
        idleExpiresAt: new Date(at.getTime() + Math.min(policy.idleMs, policy.absoluteMs)), expiresAt: new Date(at.getTime() + policy.absoluteMs),
      }, { name: user.username, userId: user.id, via: 'session' });
      await pruneAccess(db, new Date(at.getTime() - 24 * 3600_000));
      log.info({ username: user.username, ip: address }, 'logged in');
      void reply.header('set-cookie', setCookie(SESSION_COOKIE, token, { secure: secureCookie(request), maxAge: policy.absoluteMs / 1000 }));
      if (form) return reply.redirect('/', 303);
      return { user: { username: user.username, role: user.role }, csrfToken };
    });

    app.post('/logout', async (request, reply) => {
      const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
      const ended = request.user?.via === 'session' && token ? await endSession(db, secretHash(token), actorOf(request), now()) : false;
      void reply.header('set-cookie', setCookie(SESSION_COOKIE, '', { secure: secureCookie(request), maxAge: 0 }));
      if (isForm(request)) return reply.redirect('/login', 303);
      return { ended };
    });

    app.get('/api/me', {
      preHandler: requireRole('viewer'),
      schema: { summary: 'the user asking: name, role, what the role may do, and the CSRF token of a session', tags: ['access'] },
    }, async (request) => {
      const user = request.user!;
      return {
        username: user.username, role: user.role, via: user.via,
        ...(user.csrfToken ? { csrfToken: user.csrfToken } : {}),
        can: Object.fromEntries(Object.keys(ACTIONS).map((a) => [a, can(user.role, a as Action)])),
      };
    });
  };
  // fastify's skip-override: the hooks apply to every route of the server, not only this plugin's.
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true });
}

function isForm(request: FastifyRequest): boolean {
  return String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}
