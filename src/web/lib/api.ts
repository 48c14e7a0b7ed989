import type { ErrorView } from '../../domain/api/session.ts';

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

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Login and the session probe answer 401 as a normal result: do not redirect. */
  allowUnauthenticated?: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  // A FormData body (file uploads) sets its own multipart content type with the boundary.
  const form = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !form) headers['content-type'] = 'application/json';
  if (WRITE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }

  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }

  if (!response.ok) {
    const envelope = isErrorView(payload) ? payload.error : null;
    const error = new ApiError(
      response.status,
      envelope?.code ?? `http_${response.status}`,
      envelope?.message ?? response.statusText,
      envelope?.details ?? {},
    );
    if (response.status === 401 && !options.allowUnauthenticated) {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  return payload as T;
}

function isErrorView(value: unknown): value is ErrorView {
  return typeof value === 'object' && value !== null && 'error' in value && typeof (value as ErrorView).error?.code === 'string';
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body: body ?? {} }),
  /** multipart/form-data: a file and its fields, with the CSRF token like every write. */
  upload: <T>(path: string, form: FormData, options?: RequestOptions) => request<T>('POST', path, { ...options, body: form }),
};

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
