import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ApiKey } from '../config/api-keys.ts';
import { UnauthorizedError } from '../errors/server-error.ts';

/** The owner of requests when the server runs without keys (localhost only, by default). */
export const ANONYMOUS_OWNER = 'local';

/**
 * Resolves the bearer key of a request to its owner. With no keys configured every request is
 * `local`; with keys, `/v1/*` needs one. Keys are compared as SHA-256 digests in constant time,
 * so neither a key's length nor its prefix leaks through timing.
 *
 * @example
 * const authenticate = createAuthenticator(config.auth);
 * app.addHook('onRequest', async (request) => { request.owner = authenticate(request); });
 */
export function createAuthenticator(auth: { apiKeys: ApiKey[]; required: boolean }) {
  const digests = auth.apiKeys.map((entry) => ({ owner: entry.owner, digest: digest(entry.key) }));
  return (request: FastifyRequest): string => {
    if (!auth.required) return ANONYMOUS_OWNER;
    const header = request.headers.authorization;
    if (header === undefined)
      throw new UnauthorizedError('send the API key as "Authorization: Bearer <key>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) throw new UnauthorizedError('the Authorization header must be "Bearer <key>"');
    const given = digest(match[1]!);
    let owner: string | undefined;
    for (const entry of digests) {
      if (timingSafeEqual(entry.digest, given)) owner = entry.owner;
    }
    if (owner === undefined) throw new UnauthorizedError('unknown API key');
    return owner;
  };
}

/**
 * One-shot `crypto.hash`: runs on every request, and skips building a `Hash` object. The digest
 * comes out as hex and is decoded here: on Node 24 that costs ~0.5 µs, asking `hash` for a Buffer
 * ~1.3 µs, for the same 32 bytes.
 */
function digest(value: string): Buffer {
  return Buffer.from(hash('sha256', value, 'hex'), 'hex');
}
