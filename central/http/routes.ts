import type { z } from 'zod';
import type { ApiError } from '../../contract/central/api.js';
import type { ConsoleRole } from '../../contract/central/console.js';

/**
 * How a resource module declares its endpoints: method, path pattern, body schema, handler. The HTTP
 * core (central/http/core.ts) reads and parses the body, checks the terminal's signature and, for an
 * idempotent route, the Idempotency-Key, before a handler runs; a handler gets parsed input only.
 */

/** An error answer: `status` with the API's error body (`code` stable, `message` plain Chinese). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.code);
  }
}

export const badRequest = (message: string) => new HttpError(400, { code: 'bad-request', message });

/** A handler's answer: HTTP status and a JSON body (`null` for 204). */
export interface Answer {
  status: number;
  body: unknown;
}

/** Who a console request comes from (a valid sign-in of central's staff accounts). */
export interface ConsoleUser {
  staffNumber: string;
  role: ConsoleRole;
  /** The stored hash of the sign-in's token (to sign it out). */
  tokenHash: string;
  expiresAtMs: number;
}

export interface RouteRequest<Body> {
  /** The terminal whose signature the request carries ('' for a console route). */
  terminalId: string;
  /** The signed-in console user ('console' routes), or null. */
  user: ConsoleUser | null;
  /** The query string of the request. */
  query: URLSearchParams;
  /** Path parameters by name (`:ref` in the pattern), percent-decoded. */
  params: Record<string, string>;
  /** The body parsed with the route's schema; undefined when the route has none. */
  body: Body;
  /**
   * For an idempotent route, the claimed Idempotency-Key: the handler stores its answer with
   * `tx.idempotency.complete(terminalId, key, …)` in the same transaction as its change, so that the
   * change and the stored answer commit together. Null for other routes.
   */
  idempotencyKey: string | null;
}

/**
 * Who may call a route: a terminal with its request signature (`terminal`, the /v1 API), a console user
 * with a bearer token of one of `roles` (`console`, under /console/api/), or anyone (`public`: console
 * sign-in only).
 */
export type RouteAuth = 'terminal' | 'console' | 'public';

export interface Route {
  method: 'GET' | 'POST';
  /** Default `terminal`. */
  auth?: RouteAuth;
  /** For `console` routes: the roles allowed (every signed-in role when absent). */
  roles?: readonly ConsoleRole[];
  /** Literal segments and `:name` parameters, each matching one non-empty segment: `/v1/cases/:ref`. */
  path: string;
  /** Schema of the JSON body; a body that does not parse is answered 400 before the handler runs. */
  body?: z.ZodType;
  /**
   * Requires an Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): the first answer is
   * stored and replayed, the same key with another body is refused, and a retry while the first is in
   * flight is answered 409.
   */
  idempotent?: boolean;
  handle(request: RouteRequest<unknown>): Promise<Answer>;
}

/** Declares a route with its handler typed by its body schema. */
export function route<Schema extends z.ZodType | undefined = undefined>(definition: {
  method: Route['method'];
  auth?: RouteAuth;
  roles?: readonly ConsoleRole[];
  path: string;
  body?: Schema;
  idempotent?: boolean;
  handle(request: RouteRequest<Schema extends z.ZodType ? z.output<Schema> : undefined>): Promise<Answer>;
}): Route {
  return definition as Route;
}

/** A route matched to a request path, with its parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * Compiles a table of routes into a matcher: the first route whose method and pattern match wins.
 * Parameters are percent-decoded here, in one place (a malformed escape throws URIError).
 */
export function routeTable(routes: Route[]): (method: string, pathname: string) => RouteMatch | null {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/') }));
  return (method, pathname) => {
    const segments = pathname.split('/');
    for (const { route, segments: pattern } of compiled) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = pattern.every((part, index) => {
        const segment = segments[index] ?? '';
        if (!part.startsWith(':')) return part === segment;
        if (segment === '') return false;
        params[part.slice(1)] = decodeURIComponent(segment);
        return true;
      });
      if (matches) return { route, params };
    }
    return null;
  };
}
