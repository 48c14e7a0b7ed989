/**
 * The network of a web unit test: `fetch` answered by a small fake server with real `Response`
 * objects, so the app's own client (src/web/lib/api.ts, whatever it becomes) runs as in the
 * browser — headers, JSON, the error envelope, status codes. Nothing is mocked at module level.
 */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** The JSON body, parsed (the text when it is not JSON); undefined without one. */
  body: unknown;
}

type Handler = (request: FakeRequest) => Response | Promise<Response>;

/** A JSON answer. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

/** The server's error envelope (ErrorView) with its status. */
export function apiError(status: number, code: string, message: string, details?: Record<string, unknown>): Response {
  return json({ error: { code, message, ...(details ? { details } : {}) } }, status);
}

/** A promise the test settles itself: an answer held back while the page shows its waiting state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

export class FakeServer {
  /** Every request in order, answered or not. */
  readonly requests: FakeRequest[] = [];
  private readonly routes: { method: string; pattern: RegExp; handler: Handler }[] = [];

  /** Answers `method path` (path without the query; `:name` matches one segment). Later routes win. */
  on(method: string, path: string, handler: Handler): this;
  /** A fixed answer: a Response (cloned for each request) or a JSON body. */
  on(method: string, path: string, answer: unknown): this;
  on(method: string, path: string, handler: unknown): this {
    const pattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-zA-Z]+/g, '[^/]+')}$`);
    const answer: Handler = typeof handler === 'function' ? (handler as Handler) : () => (handler instanceof Response ? handler.clone() : json(handler));
    this.routes.unshift({ method, pattern, handler: answer });
    return this;
  }

  /** The requests to one method and path (query left out). */
  to(method: string, path: string): FakeRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  /** Takes what a client passes, `fetch(path, init)` or `fetch(new Request(…))` (openapi-fetch does the latter). */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const sent = new Request(input instanceof Request ? input : new URL(String(input), 'http://localhost'), init);
    const url = new URL(sent.url);
    const text = await sent.text();
    const request: FakeRequest = { method: sent.method, path: url.pathname, query: url.searchParams, headers: sent.headers, body: parseBody(text) };
    this.requests.push(request);
    const route = this.routes.find((candidate) => candidate.method === request.method && candidate.pattern.test(url.pathname));
    if (!route) return apiError(404, 'not_found', `测试中没有这个地址：${request.method} ${url.pathname}`);
    return route.handler(request);
  };
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A new fake server behind `fetch`, replacing the last one (each test file runs in its own process). */
export function fakeServer(): FakeServer {
  const server = new FakeServer();
  globalThis.fetch = server.fetch as typeof fetch;
  return server;
}
