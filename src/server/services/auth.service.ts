import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import { hash, randomBytes } from 'node:crypto';
import { type Actor, type UserActor } from '../../domain/actor.ts';
import { normaliseUsername } from '../../domain/accounts.ts';
import type { AccountSessionView } from '../../domain/api/session.ts';
import { DEFAULT_TIME_ZONE, formatDateTimeZh } from '../../domain/dates.ts';
import type { TotpEnrolmentView } from '../../domain/api/admin.ts';
import { conflict, invalid, rateLimited } from '../../domain/errors.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createRepositories, type Repositories } from '../db/repositories/index.ts';
import type { SessionEndReason, SessionWithUser } from '../db/repositories/session.repository.ts';
import type { NotedWrite } from '../db/commit-log.ts';
import type { UserWithUnit } from '../db/repositories/user.repository.ts';
import { inTransaction } from '../db/transaction.ts';
import { actorOfUser, presentSession, sessionAccountOf } from '../presenters/session.presenter.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './auth-passwords.ts';
import { createPasswordPolicyService } from './password-policy.ts';
import { createTotpCodec, matchTotpCode, newTotpSecret, totpUri } from './totp.service.ts';
import { audit as writeAudit } from './audit-writer.ts';
import { ReadCache } from './read-cache.ts';

/** Where a request came from, for the session row and the audit log. */
export type ClientInfo = { ip: string | null; userAgent: string | null };

/** A live session, as the HTTP layer keeps it on the request. */
export type AuthenticatedSession = { actor: UserActor; sessionId: number; view: AccountSessionView };

export type LoginResult = {
  /** The cookie's value. Only its SHA-256 is stored; this is the one place it exists in clear. */
  token: string;
  session: AuthenticatedSession;
};

export type AuthServiceDeps = {
  database: Database;
  config: Pick<Config, 'session' | 'login' | 'passwordPolicy' | 'totpKey'> & Partial<Pick<Config, 'passwordMaxAgeDays' | 'timeZone'>>;
  now?: () => Date;
};

/** A password of this length is refused before hashing: argon2 of a megabyte costs real CPU. */
const MAX_PASSWORD_LENGTH = 1_024;

/**
 * `last_seen_at` is written at most this often per session: a read must not cost a durable
 * commit every time. The idle timeout is therefore measured to within this interval.
 */
const TOUCH_INTERVAL_MS = 60_000;

/** Sessions kept between requests (SQLite): more than a department has people signed in at once. */
const SESSIONS_KEPT = 2_000;

/** A kept lookup: the live session with its account, or none (a made-up or ended token). */
type KeptSession = { found: SessionWithUser | null };

/**
 * A kept session across a commit that noted its writes (decision 046): the rows a session lookup
 * reads (sessions, users, units) are never among them, so every noted write keeps it. A write that
 * ends a session or disables an account is not noted, so the next request reads again.
 */
function carrySession(write: NotedWrite, kept: KeptSession): KeptSession | null {
  switch (write.table) {
    case 'progress_entries':
    case 'unit_submissions':
      return kept;
    default:
      return null;
  }
}

/** The one answer to every failed login: no user enumeration (unknown, wrong, disabled, locked). */
export const loginFailed = () => invalid('login_failed', '用户名或密码错误');

/**
 * The right password on a locked account: the person is told it is locked and until when (in the
 * department's time zone). Only after the right password — a wrong one on a locked account gets
 * `loginFailed`, so a guesser learns nothing about the lock.
 */
export const accountLocked = (lockedUntil: string, timeZone: string = DEFAULT_TIME_ZONE) =>
  invalid('account_locked', `该账户因连续多次登录失败已被锁定，请于 ${formatDateTimeZh(lockedUntil, timeZone)} 后再登录，或请系统管理员解锁`, { lockedUntil });

type FailureReason = 'unknown_user' | 'bad_password' | 'bad_totp' | 'disabled' | 'locked' | 'ip_throttled' | 'unknown_organisation';

/** After a right password, an account with TOTP needs its code: the web then asks for it. */
export const totpRequired = () => invalid('totp_required', '请输入身份验证器中的 6 位动态验证码', { field: 'code' });
const totpInvalid = () => invalid('totp_invalid', '动态验证码不正确或已使用过，请输入身份验证器当前显示的验证码', { field: 'code' });

/** SHA-256 of a session token, as stored in `sessions.token_hash`. */
export function hashSessionToken(token: string): string {
  // One-shot: about a microsecond less than createHash on every request.
  return hash('sha256', token, 'hex');
}

/**
 * Logging in and out, and finding the actor behind a session cookie. Sessions live in the
 * database (several servers may share PostgreSQL), end after an idle period and at an
 * absolute time, and every login, failure, lock and logout writes an audit row in the same
 * transaction as the change it records.
 */
export function createAuthService(deps: AuthServiceDeps) {
  const { database, config } = deps;
  const clock = deps.now ?? (() => new Date());
  const idleMs = config.session.idleMinutes * 60_000;
  const absoluteMs = config.session.absoluteHours * 3_600_000;
  /** Repositories outside any transaction, for single reads. */
  const reader = createRepositories(database.db);
  const passwordPolicy = createPasswordPolicyService({ database, config, now: clock });
  const totpCodec = createTotpCodec(config.totpKey);
  const ipWindowMs = config.login.ipWindowMinutes * 60_000;
  /**
   * Every request looks its session up. On SQLite the lookup is kept until a write could change it
   * (decision 047): the one query left on a kept to-do read, and the one a draft save ran outside its group commit.
   * Not on PostgreSQL: there a kept read costs a round trip of its own (decision 043), as the query does.
   */
  const keptSessions = database.dialect === 'sqlite' ? new ReadCache<string, KeptSession>(database, SESSIONS_KEPT, { carry: carrySession }) : null;
  const findLiveSession = async (tokenHash: string): Promise<SessionWithUser | null> => {
    const read = async (): Promise<KeptSession> => ({ found: (await reader.sessions.findLiveSessionByTokenHash(tokenHash)) ?? null });
    return (keptSessions ? await keptSessions.get(tokenHash, read) : await read()).found;
  };
  const passwordMaxAgeMs = (config.passwordMaxAgeDays ?? 0) * 86_400_000;

  /** The password was set longer ago than DIAODU_PASSWORD_MAX_AGE_DAYS (an account never changed since it was made counts from then). */
  function passwordExpired(user: UserWithUnit, at: Date): boolean {
    if (passwordMaxAgeMs === 0 || Number(user.must_change_password) === 1) return false;
    const setAt = Date.parse(user.password_changed_at ?? user.created_at);
    return Number.isNaN(setAt) || at.getTime() - setAt > passwordMaxAgeMs;
  }

  async function login(credentials: { username: string; password: string; code?: string | undefined }, client: ClientInfo): Promise<LoginResult> {
    const username = normaliseUsername(credentials.username);
    const password = credentials.password;
    // Before any hashing: a throttled address costs one indexed count, not an argon2 run.
    await assertIpNotThrottled(username, client);
    if (password.length > MAX_PASSWORD_LENGTH || username.length === 0 || username.length > 64) {
      await recordFailure(null, username, 'unknown_user', client);
      throw loginFailed();
    }
    const user = await reader.users.findUserByUsername(username);
    // Always verify against some hash, so every failure takes as long as a wrong password.
    const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
    const at = clock();

    if (!user) return failWith(null, username, 'unknown_user', client);
    if (Number(user.disabled) === 1) return failWith(user, username, 'disabled', client);
    if (user.locked_until !== null && Date.parse(user.locked_until) > at.getTime()) {
      // The same answer whatever the password: a lock that answered a right password differently
      // would tell a guesser which guess was right, and the lock would only delay the break-in.
      await recordFailure(user, username, 'locked', client, { passwordCorrect: passwordOk, lockedUntil: user.locked_until });
      throw accountLocked(user.locked_until, config.timeZone);
    }
    if (!passwordOk) return failWith(user, username, 'bad_password', client);
    if (user.totp_secret !== null) {
      // Asked only after the right password (and no lock): the code is the second step, not a hint.
      if (!credentials.code) throw totpRequired();
      const step = matchTotpCode(totpCodec.open(user.totp_secret), credentials.code, at);
      // A right code of a step already used (replayed, or seen over a shoulder) counts as wrong.
      if (step === null || !(await reader.users.claimTotpStep(user.id, step))) {
        await recordFailure(user, username, 'bad_totp', client);
        throw totpInvalid();
      }
    }

    const token = randomBytes(16).toString('base64url');
    const csrfToken = randomBytes(16).toString('base64url');
    const expiresAt = new Date(at.getTime() + absoluteMs).toISOString();
    // An expired password gets the restricted session of a first login: it may only be changed.
    const expired = passwordExpired(user, at);
    const sessionId = await inTransaction(database, async (repositories) => {
      await repositories.users.clearFailedLogins(user.id, at.toISOString());
      if (expired) await repositories.users.requirePasswordChange(user.id, at.toISOString());
      const id = await repositories.sessions.insertSession({
        tokenHash: hashSessionToken(token),
        csrfToken,
        userId: user.id,
        now: at.toISOString(),
        expiresAt,
        ip: client.ip,
        userAgent: truncate(client.userAgent, 500),
      });
      await audit(repositories, actorOfUser(user), at, 'auth.login', {
        ip: client.ip,
        objectId: user.id,
        result: 'success',
        detail: { sessionId: id, ...(expired ? { passwordExpired: true } : {}), ...clientDetail(client) },
      });
      return id;
    });
    const view = presentSession(
      { ...sessionAccountOf(user), ...(expired ? { must_change_password: 1 } : {}) },
      { csrf_token: csrfToken, expires_at: expiresAt },
    );
    return { token, session: { actor: actorOfUser(user), sessionId, view } };
  }

  /**
   * A login naming an organisation that does not exist or is archived (decision 028), on the home
   * store's service: throttled, counted and audited here like any failure, after as long as a
   * wrong password, and refused with the same words — login tells nobody which codes exist.
   */
  async function refuseUnknownOrganisation(credentials: { username: string; password: string }, organisation: string, client: ClientInfo): Promise<never> {
    const username = normaliseUsername(credentials.username);
    await assertIpNotThrottled(username, client);
    await verifyPassword(await dummyPasswordHash(), credentials.password.slice(0, MAX_PASSWORD_LENGTH));
    await recordFailure(null, username, 'unknown_organisation', client, { organisation: truncate(organisation, 64) });
    throw loginFailed();
  }

  /** Records the failure (and the lock it may cause), commits it, then refuses. */
  async function failWith(user: UserWithUnit | null, username: string, reason: FailureReason, client: ClientInfo): Promise<never> {
    await recordFailure(user, username, reason, client);
    throw loginFailed();
  }

  /**
   * The per-IP throttle (decision 010): too many failures from one address within the window
   * and every attempt from it is refused with 429 until the oldest of them leaves the window —
   * before any account is looked up, so the throttle itself locks nobody and says nothing.
   */
  async function assertIpNotThrottled(username: string, client: ClientInfo): Promise<void> {
    if (client.ip === null) return;
    const at = clock();
    const { count, oldest } = await reader.loginThrottle.failuresSince(client.ip, new Date(at.getTime() - ipWindowMs).toISOString());
    if (count < config.login.ipMaxFailures) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(oldest ?? at.toISOString()) + ipWindowMs - at.getTime()) / 1000));
    await inTransaction(database, (repositories) =>
      audit(repositories, null, at, 'auth.login', {
        ip: client.ip,
        objectId: null,
        result: 'failure',
        actorName: truncate(username, 64) ?? '',
        detail: { reason: 'ip_throttled', username: truncate(username, 64), failures: count, retryAfterSeconds, ...clientDetail(client) },
      }),
    );
    throw rateLimited('login_throttled', `登录失败次数过多，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试`, {
      retryAfterSeconds,
    });
  }

  async function recordFailure(
    user: UserWithUnit | null,
    username: string,
    reason: FailureReason,
    client: ClientInfo,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const at = clock();
    await inTransaction(database, async (repositories) => {
      if (client.ip !== null) await repositories.loginThrottle.recordFailure(client.ip, at.toISOString(), new Date(at.getTime() - ipWindowMs).toISOString());
      let lockedUntil: string | null = null;
      if (user && (reason === 'bad_password' || reason === 'bad_totp')) {
        const failures = await repositories.users.incrementFailedLogins(user.id, at.toISOString());
        if (failures >= config.login.maxFailures) {
          lockedUntil = new Date(at.getTime() + config.login.lockMinutes * 60_000).toISOString();
          await repositories.users.lockUser(user.id, lockedUntil, at.toISOString());
        }
      }
      // The attempted name is kept (truncated) so an admin can see guessing; it is not an account.
      const actor = user ? actorOfUser(user) : null;
      await audit(repositories, actor, at, 'auth.login', {
        ip: client.ip,
        objectId: user?.id ?? null,
        result: 'failure',
        actorName: user ? undefined : (truncate(username, 64) ?? ''),
        detail: { reason, username: truncate(username, 64), ...extra, ...clientDetail(client) },
      });
      if (user && lockedUntil)
        await audit(repositories, actor, at, 'auth.lock', {
          ip: client.ip,
          objectId: user.id,
          result: 'success',
          detail: { lockedUntil, failures: config.login.maxFailures, ...clientDetail(client) },
        });
    });
  }

  /**
   * The session behind a cookie's token, or null when there is none, it has ended, or it has
   * just run out (idle or absolute) — in which case it is ended now, and audited.
   */
  async function authenticate(token: string | undefined, client: Pick<ClientInfo, 'ip'> = { ip: null }): Promise<AuthenticatedSession | null> {
    if (!token || token.length > 128) return null;
    // At most one query a request, none while the lookup is kept: no transaction around it (BEGIN/COMMIT would double its cost).
    const found = await findLiveSession(hashSessionToken(token));
    if (!found) return null;
    const { session, user } = found;
    const at = clock();
    const reason: SessionEndReason | null =
      Number(user.disabled) === 1
        ? 'disabled'
        : at.getTime() >= Date.parse(session.expires_at)
          ? 'expired'
          : at.getTime() - Date.parse(session.last_seen_at) >= idleMs
            ? 'idle'
            : null;
    if (reason) {
      await inTransaction(database, async (repositories) => {
        const ended = await repositories.sessions.endSession(session.id, reason, at.toISOString());
        if (ended === 1)
          await audit(repositories, actorOfUser(user), at, 'auth.session_end', {
            ip: client.ip,
            objectId: user.id,
            result: 'success',
            detail: { sessionId: session.id, reason },
          });
      });
      return null;
    }
    if (at.getTime() - Date.parse(session.last_seen_at) >= TOUCH_INTERVAL_MS)
      await inTransaction(database, (repositories) => repositories.sessions.touchSession(session.id, at.toISOString()));
    return { actor: { ...actorOfUser(user), ip: client.ip }, sessionId: session.id, view: presentSession(user, session) };
  }

  /** Ends the session on the server: the cookie's token is worthless from now on. */
  async function logout(actor: UserActor, sessionId: number, client: ClientInfo): Promise<void> {
    const at = clock();
    await inTransaction(database, async (repositories) => {
      const ended = await repositories.sessions.endSession(sessionId, 'logout', at.toISOString());
      await audit(repositories, actor, at, 'auth.logout', {
        ip: client.ip,
        objectId: actor.userId,
        result: ended === 1 ? 'success' : 'noop',
        detail: { sessionId, ...clientDetail(client) },
      });
    });
  }

  /**
   * Audits a refused request (docs/promises.md: "denied access"). Called where the denial surfaces,
   * in a transaction of its own, because the service's transaction was rolled back with it.
   */
  async function recordDenied(
    actor: Actor | null,
    attempt: { action: string; code: string; target: string; detail?: Record<string, unknown> } & ClientInfo,
  ): Promise<void> {
    const at = clock();
    await inTransaction(database, (repositories) =>
      audit(repositories, actor, at, 'access.denied', {
        ip: attempt.ip,
        objectType: 'request',
        objectId: attempt.target,
        result: 'denied',
        detail: { action: attempt.action, code: attempt.code, ...attempt.detail, ...clientDetail(attempt) },
      }),
    );
  }

  /**
   * The signed-in user changes their password: the current one is checked, the new one must
   * meet the policy (and not be one of the last N), and every other session of the account
   * ends. Returns the session's new view (no longer restricted to this page).
   */
  async function changePassword(
    actor: UserActor,
    sessionId: number,
    input: { currentPassword: string; newPassword: string },
    client: ClientInfo,
  ): Promise<AccountSessionView> {
    const user = await reader.users.findUserById(actor.userId);
    if (!user) throw loginFailed();
    if (input.currentPassword.length > MAX_PASSWORD_LENGTH || !(await verifyPassword(user.password_hash, input.currentPassword))) {
      await inTransaction(database, (repositories) =>
        audit(repositories, actor, clock(), 'user.password_change', {
          ip: client.ip,
          objectId: actor.userId,
          result: 'failure',
          detail: { reason: 'bad_current_password', ...clientDetail(client) },
        }),
      );
      throw invalid('password_wrong', '当前密码不正确', { field: 'currentPassword' });
    }
    await passwordPolicy.assertAcceptable(reader, { id: user.id, username: user.username }, input.newPassword, 'newPassword');
    const passwordHash = await hashPassword(input.newPassword);
    const at = clock().toISOString();
    await inTransaction(database, async (repositories) => {
      await repositories.users.setPasswordHash(user.id, passwordHash, false, at);
      const endedSessions = await repositories.sessions.endSessionsOfUser(user.id, 'password_changed', at, sessionId);
      await audit(repositories, actor, clock(), 'user.password_change', {
        ip: client.ip,
        objectId: user.id,
        result: 'success',
        detail: { endedSessions, wasRequired: Number(user.must_change_password) === 1, ...clientDetail(client) },
      });
    });
    return viewOf(sessionId);
  }

  /** The session's current view (after a change to its account). */
  async function viewOf(sessionId: number): Promise<AccountSessionView> {
    const session = await reader.sessions.findSessionById(sessionId);
    const user = session && (await reader.users.findUserById(session.user_id));
    if (!session || !user) throw loginFailed();
    return presentSession(sessionAccountOf(user), session);
  }

  /**
   * Starts TOTP enrolment: a new secret, kept pending until a code from it is confirmed. An
   * account that already has a second factor must have it reset by the security admin first.
   */
  async function startTotpEnrolment(actor: UserActor): Promise<TotpEnrolmentView> {
    const user = await reader.users.findUserById(actor.userId);
    if (!user) throw loginFailed();
    if (user.totp_secret !== null) throw conflict('totp_already_enabled', '已绑定身份验证器；如需更换，请联系安全管理员重置');
    const secret = newTotpSecret();
    await inTransaction(database, (repositories) => repositories.users.setPendingTotpSecret(user.id, totpCodec.seal(secret), clock().toISOString()));
    return { uri: totpUri(secret, user.username), secret };
  }

  /** Confirms enrolment with a code from the authenticator; from now on logins need a code. */
  async function confirmTotpEnrolment(actor: UserActor, sessionId: number, code: string, client: ClientInfo): Promise<AccountSessionView> {
    const user = await reader.users.findUserById(actor.userId);
    if (!user) throw loginFailed();
    if (user.totp_secret !== null) throw conflict('totp_already_enabled', '已绑定身份验证器');
    if (user.totp_pending_secret === null) throw invalid('totp_not_started', '请先生成绑定密钥');
    const at = clock();
    const step = matchTotpCode(totpCodec.open(user.totp_pending_secret), code, at);
    if (step === null) throw invalid('totp_invalid', '动态验证码不正确，请核对手机时间后输入当前显示的 6 位数字', { field: 'code' });
    await inTransaction(database, async (repositories) => {
      await repositories.users.enableTotp(user.id, user.totp_pending_secret!, step, at.toISOString());
      await audit(repositories, actor, at, 'user.totp_enable', { ip: client.ip, objectId: user.id, result: 'success', detail: { ...clientDetail(client) } });
    });
    return viewOf(sessionId);
  }

  return {
    login,
    refuseUnknownOrganisation,
    authenticate,
    /** How the kept session lookups answered (null on PostgreSQL, which keeps none). */
    keptSessionStats: () => keptSessions?.stats() ?? null,
    logout,
    recordDenied,
    changePassword,
    viewOf,
    startTotpEnrolment,
    confirmTotpEnrolment,
    passwordPolicy,
    totpSealed: totpCodec.sealed,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function clientDetail(client: ClientInfo) {
  return { ip: client.ip, userAgent: truncate(client.userAgent, 200) };
}

function truncate(text: string | null, max: number): string | null {
  return text === null ? null : text.length > max ? text.slice(0, max) : text;
}

/** One audit row in the caller's transaction; an anonymous actor is a login attempt with no account. */
async function audit(
  repositories: Repositories,
  actor: Actor | null,
  at: Date,
  action: AuditAction,
  event: {
    ip: string | null;
    objectType?: string;
    objectId: number | string | null;
    result: string;
    actorName?: string | undefined;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await writeAudit(repositories, actor ?? { kind: 'anonymous', typedName: event.actorName ?? '' }, at, {
    action,
    objectType: event.objectType ?? 'user',
    objectId: event.objectId,
    result: event.result,
    detail: event.detail,
    ip: event.ip,
  });
}
