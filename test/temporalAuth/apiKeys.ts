// API keys for a Temporal server with its JWT authorizer: RS256 tokens signed here with node:crypto, and the key set
// (JWKS) the server fetches to check them, served on 127.0.0.1 by node:http.
//
// The server's default claim mapper reads the `permissions` claim: "<namespace>:<role>" with role read, write,
// worker or admin, and "temporal-system:<role>" for the whole cluster. Its default authorizer allows a call when the
// role reaches what the call needs: read-only calls need read, workflow calls (start, poll, schedules) and
// UpdateTaskQueueConfig need write, namespace and search-attribute administration need admin.
import { createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The claim the default claim mapper reads, and the namespace it reads as "every namespace". */
export const SYSTEM_NAMESPACE = 'temporal-system';

export interface TokenClaims {
  sub: string;
  permissions: string[];
  /** Seconds from now until `exp`; negative for a token already expired. Default one hour. */
  expiresInSeconds?: number;
}

export interface ApiKeyIssuer {
  /** Where the server fetches the key set (`global.authorization.jwtKeyProvider.keySourceURIs`). */
  jwksUrl: string;
  /** A token signed with the key the key set holds. */
  sign(claims: TokenClaims): string;
  /** The same token shape and key id, signed with a key the key set does not hold: a bad signature. */
  signWithForeignKey(claims: TokenClaims): string;
  /** How many times the server fetched the key set. */
  fetches(): number;
  close(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function signToken(privateKey: KeyObject, kid: string, claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = base64url(
    JSON.stringify({
      sub: claims.sub,
      permissions: claims.permissions,
      iat: now,
      exp: now + (claims.expiresInSeconds ?? 3600),
    }),
  );
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${base64url(signer.sign(privateKey))}`;
}

/** Starts the key set's server; `close()` stops it. */
export async function startApiKeyIssuer(): Promise<ApiKeyIssuer> {
  const kid = `jao-test-${randomBytes(4).toString('hex')}`;
  const own = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = own.publicKey.export({ format: 'jwk' });
  const body = JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256' }] });
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/jwks.json') {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    sign: (claims) => signToken(own.privateKey, kid, claims),
    signWithForeignKey: (claims) => signToken(foreign.privateKey, kid, claims),
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
