/**
 * /_emulator/ui: the web console, served by the emulator itself (no CDN, nothing fetched). Behind
 * the same switch and token as the control plane: a browser cannot send `Authorization`, so with
 * TCOCR_ADMIN_TOKEN set the page is opened once as `/_emulator/ui?token=…`, which sets an HttpOnly,
 * SameSite=Strict cookie for /_emulator that the page's own API calls then carry.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AdminDeps, AdminRoute } from './route.js';
import { CONSOLE_HTML } from './ui/page.js';
import { CONSOLE_JS } from './ui/script.js';

/** The cookie the console's page carries the control-plane token in. */
export const TOKEN_COOKIE = 'tcocr_admin_token';

/** Two secrets compared in constant time (their SHA-256 digests, so lengths do not leak). */
export const sameSecret = (given: string, token: string) => {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
};

/** The token from the console's cookie, when the request carries one. */
export function cookieToken(request: FastifyRequest): string | undefined {
  const cookies = request.headers.cookie ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Whether the console's cookie holds the token. */
export function cookieMatches(request: FastifyRequest, token: string): boolean {
  const given = cookieToken(request);
  return given !== undefined && sameSecret(given, token);
}

/** A strict policy: the page's own script and images only. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

export function consoleRoutes({ config }: AdminDeps): AdminRoute[] {
  const token = config.adminToken;
  return [
    {
      method: 'GET',
      path: '/ui',
      summary: 'The web console: requests as they arrive, each with its reply, image and what was read on it',
      description: 'With TCOCR_ADMIN_TOKEN set, open it once as /_emulator/ui?token=<token> (it sets a cookie).',
      open: true,
      query: Type.Object({ token: Type.Optional(Type.String({ description: 'TCOCR_ADMIN_TOKEN, once.' })) }),
      responses: {
        200: { description: 'The page.', schema: Type.String(), contentType: 'text/html' },
        303: { description: 'The token was right: the cookie is set, on to the page.' },
        401: { description: 'The token is needed.' },
      },
      handler: async (request, reply) => {
        const given = (request.query as { token?: string }).token;
        if (token !== undefined && !cookieMatches(request, token)) {
          if (given === undefined || !sameSecret(given, token)) {
            return reply
              .code(401)
              .type('text/plain; charset=utf-8')
              .send('The console needs the control-plane token: open /_emulator/ui?token=<TCOCR_ADMIN_TOKEN>\n');
          }
          const cookie = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/_emulator; HttpOnly; SameSite=Strict`;
          return reply.code(303).header('Set-Cookie', cookie).header('Location', '/_emulator/ui').send();
        }
        return reply
          .type('text/html; charset=utf-8')
          .header('Content-Security-Policy', CSP)
          .header('Cache-Control', 'no-store')
          .send(CONSOLE_HTML);
      },
    },
    {
      method: 'GET',
      path: '/ui/console.js',
      summary: "The console page's script (holds no data; the data comes from the API behind the token)",
      open: true,
      responses: { 200: { description: 'JavaScript.', schema: Type.String(), contentType: 'text/javascript' } },
      handler: async (_request, reply) =>
        reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'no-store').send(CONSOLE_JS),
    },
  ];
}
