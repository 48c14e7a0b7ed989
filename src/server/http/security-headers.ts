import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The security headers of every answer (helmet's, with our CSP), as a header → value table made
 * once. None of them depends on the request, so they are taken from helmet's middleware at start
 * and each answer gets the table (`reply.headers`): running the middleware on every request (a
 * dozen small middlewares, each a `setHeader` with its checks) was 4 % of a draft save's CPU under
 * `bench:api`'s load (2026-12-07).
 */
export function securityHeaders(options: { tls: boolean }): Record<string, string> {
  return headersSetBy(helmetMiddleware(options));
}

/** helmet's middleware with the app's options; exported for the test that compares the table with it. */
export function helmetMiddleware({ tls }: { tls: boolean }): Middleware {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its CSS-in-JS into <style> elements at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Only behind TLS: on plain http://127.0.0.1 it would send the browser to https.
        upgradeInsecureRequests: tls ? [] : null,
      },
    },
    frameguard: { action: 'deny' },
    hsts: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  }) as Middleware;
}

/** What `middleware` sets on an answer, run once on a stand-in that records it (helmet's run at once, without waiting). */
function headersSetBy(middleware: Middleware): Record<string, string> {
  const headers: Record<string, string> = {};
  let finished = false;
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      if (Array.isArray(value)) throw new Error(`security header ${name} has several values`);
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('the security headers middleware did not finish at once');
  return Object.freeze(headers) as Record<string, string>;
}
