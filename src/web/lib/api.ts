import createClient, { type FetchResponse, type ParamsOption, type RequestBodyOption } from 'openapi-fetch';
import type { ErrorView } from '../../domain/api/session.ts';
import type { paths } from './api-schema.ts';

/**
 * The one way the web app talks to the server: same origin, JSON, cookies, the CSRF token on
 * every write, and errors as `ApiError` carrying the server's `ErrorView`.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Network down, server restarting: nothing reached the server, or nothing came back. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('无法连接服务器，请检查网络后重试');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

let csrfToken: string | null = null;

/** Set from every SessionView (login, /api/auth/me); cleared on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** The app shell subscribes: a 401 anywhere sends the user to the login page, keeping the path. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The routes that answer `method`, as the server's OpenAPI document names them: `/api/rounds/{roundId}`. */
export type ApiPath<M extends Method> = { [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never }[keyof paths];

type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

export interface CallOptions {
  signal?: AbortSignal;
  /** Login and the session probe answer 401 as a normal result: do not redirect. */
  allowUnauthenticated?: boolean;
}

/** A call's path and query parameters and its JSON body, as the route's schema declares them (no other keys). */
export type ApiInit<P extends keyof paths, M extends Method> = ParamsOption<Operation<P, M>> & RequestBodyOption<Operation<P, M>> & CallOptions;

/** What the route answers with a 2xx, as its response schema declares it. */
export type ApiAnswer<P extends keyof paths, M extends Method> = Extract<FetchResponse<Operation<P, M>, object, 'application/json'>, { data: unknown }>['data'];

/** The init argument: optional when the route needs no parameters and no body. */
type InitArgument<P extends keyof paths, M extends Method> = object extends ApiInit<P, M> ? [init?: ApiInit<P, M>] : [init: ApiInit<P, M>];

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Same origin, cookies, the CSRF token on every write; nothing reached the server → NetworkError. */
async function send(request: Request): Promise<Response> {
  if (WRITE_METHODS.has(request.method) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
  try {
    return await fetch(request);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
}

const client = createClient<paths>({
  // The page's own origin (openapi-fetch builds a Request, which needs an absolute URL outside a browser).
  baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin,
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  // Looked up at each call, so a test can stand in for fetch.
  fetch: (request) => send(request),
});

async function call(method: Method, path: string, init: CallOptions & { params?: unknown; body?: unknown } = {}): Promise<unknown> {
  const { allowUnauthenticated, ...options } = init;
  // The types are checked at the call (ApiInit); here openapi-fetch only fills the path and query string and writes the body.
  const { data, error, response } = (await client.request(method, path as never, options as never)) as { data?: unknown; error?: unknown; response: Response };
  if (response.ok) return data;
  const envelope = isErrorView(error) ? error.error : null;
  if (response.status === 401 && !allowUnauthenticated) for (const listener of unauthenticatedListeners) listener();
  throw new ApiError(response.status, envelope?.code ?? `http_${response.status}`, envelope?.message ?? response.statusText, envelope?.details ?? {});
}

function isErrorView(value: unknown): value is ErrorView {
  return typeof value === 'object' && value !== null && 'error' in value && typeof (value as ErrorView).error?.code === 'string';
}

/**
 * The typed client: `api.GET('/api/rounds/{roundId}', { params: { path: { roundId } } })` resolves
 * to the route's answer or throws ApiError / NetworkError. Paths, parameters, bodies and answers
 * come from src/web/lib/api-schema.ts, generated from the server's routes (decision 041): a path
 * the server does not have, a body field it does not take or an answer field it does not send is a
 * compile error.
 */
export const api = {
  GET: <P extends ApiPath<'get'>>(path: P, ...init: InitArgument<P, 'get'>) => call('get', path, init[0]) as Promise<ApiAnswer<P, 'get'>>,
  POST: <P extends ApiPath<'post'>>(path: P, ...init: InitArgument<P, 'post'>) => call('post', path, init[0]) as Promise<ApiAnswer<P, 'post'>>,
  PUT: <P extends ApiPath<'put'>>(path: P, ...init: InitArgument<P, 'put'>) => call('put', path, init[0]) as Promise<ApiAnswer<P, 'put'>>,
  PATCH: <P extends ApiPath<'patch'>>(path: P, ...init: InitArgument<P, 'patch'>) => call('patch', path, init[0]) as Promise<ApiAnswer<P, 'patch'>>,
  DELETE: <P extends ApiPath<'delete'>>(path: P, ...init: InitArgument<P, 'delete'>) => call('delete', path, init[0]) as Promise<ApiAnswer<P, 'delete'>>,
  /**
   * multipart/form-data (a file and its fields) to a route that reads the upload itself: the
   * document describes no body for it, so the form is not checked, but the path, its parameters
   * and the answer are.
   */
  upload: <P extends ApiPath<'post'>>(path: P, form: FormData, ...init: InitArgument<P, 'post'>) =>
    call('post', path, { ...init[0], body: form }) as Promise<ApiAnswer<P, 'post'>>,
};

/** A route's request body type, for forms that build one: `ApiBody<'/api/auth/login', 'post'>`. */
export type ApiBody<P extends keyof paths, M extends Method> = ApiInit<P, M> extends { body?: infer B } ? NonNullable<B> : never;

/** Where an evidence file downloads from (the server names the file in its Content-Disposition). */
export const attachmentDownloadUrl = (attachment: { id: number }) => `/api/attachments/${attachment.id}/download`;

/** `?a=1&b=x` from an object, leaving out empty values. */

export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, value === true ? '1' : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const HAS_CJK = /[\u4e00-\u9fff]/;

const STATUS_MESSAGES: Record<number, string> = {
  400: '请求内容有误',
  401: '登录已过期，请重新登录',
  403: '没有权限执行此操作',
  404: '未找到相应内容',
  409: '内容已被他人修改，请刷新后重试',
  413: '内容过长，无法保存',
  422: '输入内容不符合要求',
  423: '账户已被锁定，请稍后再试',
  429: '操作过于频繁，请稍后再试',
};

/**
 * An English gloss after a Chinese message, as older servers wrote them: `… / the notice was
 * saved by someone else` or `… (not allowed)`. People read the Chinese; the code carries the meaning.
 */
const ENGLISH_TAIL = [/\s+\/\s+[A-Za-z][A-Za-z'’-]*\s[\s\S]*$/, /\s*[(（][\x20-\x7e]*[A-Za-z]{2,}[\x20-\x7e]*[)）]\s*$/];

/** The server's message without an English gloss. */
export function chineseOnly(message: string): string {
  let text = message;
  for (const tail of ENGLISH_TAIL) text = text.replace(tail, '');
  return HAS_CJK.test(text) ? text.trim() : message;
}

/** A Chinese sentence for any error: the server's own message when it is Chinese (never an English word or code). */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return error.message;
  if (error instanceof ApiError) {
    if (HAS_CJK.test(error.message)) return chineseOnly(error.message);
    return STATUS_MESSAGES[error.status] ?? (error.status >= 500 ? '服务器出错，请稍后重试' : `操作失败（错误 ${error.status}），请稍后重试`);
  }
  return '发生未知错误，请重试';
}

/** Query parameters from a form's filters: empty values left out, `true` as `'1'` (what the routes' flags take). */
export function queryParams<T extends Record<string, string | number | boolean | null | undefined>>(
  params: T,
): { [K in keyof T]?: Exclude<T[K], boolean | null | undefined> | (true extends T[K] ? '1' : never) } {
  const query: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    query[key] = value === true ? '1' : value;
  }
  return query as never;
}
