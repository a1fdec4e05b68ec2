// Every connection (the clients' and the worker's) through common/temporalConnect.ts, against the run's dev server
// and a real TLS front for it: what connects, and each mistake as its one line naming the setting.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../common/ports';
import { connectTemporal } from '../../common/temporal';
import { TemporalSettingRefused, TemporalUnreachable } from '../../common/temporalConnect';
import { type TemporalSettingsInput, temporalSettingsOf } from '../../common/temporalSettings';
import { connectWorker } from '../../workers/pipelineWorker';
import { generateCertificates, type TestCertificates } from '../helpers/certificates';
import { ensureTestRuntime } from '../helpers/runtime';
import { startTlsProxy, type TlsProxy } from '../helpers/tlsProxy';

let certificates: TestCertificates;
let tlsFront: TlsProxy;
let mtlsFront: TlsProxy;
const namespace = () => inject('temporalNamespace');

beforeAll(async () => {
  await ensureTestRuntime();
  certificates = await generateCertificates(mkdtempSync(join(tmpdir(), 'jao-connect-')));
  const target = inject('temporalAddress');
  tlsFront = await startTlsProxy({ target, cert: certificates.server.cert, key: certificates.server.key });
  mtlsFront = await startTlsProxy({
    target,
    cert: certificates.server.cert,
    key: certificates.server.key,
    clientCa: certificates.ca.cert,
  });
});

afterAll(async () => {
  await tlsFront?.close();
  await mtlsFront?.close();
  if (certificates) rmSync(certificates.dir, { recursive: true, force: true });
});

const settings = (input: Partial<TemporalSettingsInput>) =>
  temporalSettingsOf({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: namespace(),
    ...input,
  });

/** Both kinds of connection, each closed again: the line each failed with, or 'connected'. */
async function outcomes(input: Partial<TemporalSettingsInput>): Promise<{ client: string; worker: string }> {
  const target = settings(input);
  const attempt = async (connect: () => Promise<{ close(): Promise<void> }>) => {
    try {
      await (await connect()).close();
      return 'connected';
    } catch (error) {
      if (error instanceof TemporalSettingRefused) return `refused: ${error.message}`;
      if (error instanceof TemporalUnreachable) return `unreachable: ${error.message}`;
      throw error;
    }
  };
  return {
    client: await attempt(() => connectTemporal(target, { connectTimeoutMs: 2_000 })),
    worker: await attempt(() => connectWorker(target)),
  };
}

const both = (line: string) => ({ client: line, worker: line });

describe('connecting to Temporal', () => {
  it('connects in plaintext with only an address and a namespace', async () => {
    expect(await outcomes({})).toEqual(both('connected'));
  });

  it('names a namespace the server does not have', async () => {
    expect(await outcomes({ TEMPORAL_NAMESPACE: 'no-such-namespace' })).toEqual(
      both(
        `refused: namespace no-such-namespace (TEMPORAL_NAMESPACE) does not exist on Temporal at ${inject('temporalAddress')}`,
      ),
    );
  });

  it('says nothing listens at an address where nothing does', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    expect(await outcomes({ TEMPORAL_ADDRESS: address })).toEqual(
      both(`unreachable: nothing listens at ${address} (TEMPORAL_ADDRESS): connection refused`),
    );
  });

  it('says TLS meets a plaintext server, and plaintext a TLS one', async () => {
    expect(await outcomes({ TEMPORAL_TLS: true })).toEqual(
      both(
        `refused: Temporal at ${inject('temporalAddress')} does not speak TLS: set TEMPORAL_TLS=false, or check TEMPORAL_ADDRESS`,
      ),
    );
    expect(await outcomes({ TEMPORAL_ADDRESS: tlsFront.address })).toEqual(
      both(
        `refused: Temporal at ${tlsFront.address} takes TLS only, and TLS is off: set TEMPORAL_TLS=true ` +
          '(with TEMPORAL_TLS_SERVER_CA_CERT_PATH when its CA is not a system CA)',
      ),
    );
  });

  it("connects over TLS with the server's CA, and names a CA that is not it", async () => {
    const tls = {
      TEMPORAL_ADDRESS: tlsFront.address,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
    };
    expect(await outcomes(tls)).toEqual(both('connected'));
    expect(await outcomes({ TEMPORAL_ADDRESS: tlsFront.address, TEMPORAL_TLS: true })).toEqual(
      both(
        `refused: the certificate of Temporal at ${tlsFront.address} is signed by a CA this machine does not trust: ` +
          'set TEMPORAL_TLS_SERVER_CA_CERT_PATH to that CA',
      ),
    );
    expect(await outcomes({ ...tls, TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.otherCa.cert })).toEqual(
      both(
        `refused: the certificate of Temporal at ${tlsFront.address} is not signed by the CA of TEMPORAL_TLS_SERVER_CA_CERT_PATH`,
      ),
    );
    expect(await outcomes({ ...tls, TEMPORAL_TLS_SERVER_NAME: 'temporal.example' })).toEqual(
      both(
        `refused: the certificate of Temporal at ${tlsFront.address} does not name temporal.example: ` +
          'set TEMPORAL_TLS_SERVER_NAME to a name it carries',
      ),
    );
  });

  it('connects with a client certificate where mTLS is required, and names the missing or foreign one', async () => {
    const mtls = {
      TEMPORAL_ADDRESS: mtlsFront.address,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
      TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.client.key,
    };
    expect(await outcomes(mtls)).toEqual(both('connected'));
    expect(
      await outcomes({
        TEMPORAL_ADDRESS: mtlsFront.address,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
      }),
    ).toEqual(
      both(
        `refused: Temporal at ${mtlsFront.address} (TEMPORAL_ADDRESS) requires a client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH`,
      ),
    );
    expect(
      await outcomes({
        ...mtls,
        TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.otherClient.cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.otherClient.key,
      }),
    ).toEqual(
      both(
        `refused: Temporal at ${mtlsFront.address} refused the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH: ` +
          'it is not signed by a CA the server trusts, or it is revoked',
      ),
    );
    expect(await outcomes({ ...mtls, TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.strayKey })).toEqual(
      both(
        'refused: the key of TEMPORAL_TLS_CLIENT_KEY_PATH is not the key of the certificate of TEMPORAL_TLS_CLIENT_CERT_PATH',
      ),
    );
  });
});
