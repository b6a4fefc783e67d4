// A throwaway PKI made with the openssl command: a CA, a server certificate for localhost and
// 127.0.0.1, a client certificate signed by the CA, and a client certificate from another CA.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate whose CA the server does not trust. */
  strangerCert: string;
  strangerKey: string;
  /** Makes another server certificate (e.g. for rotation) and returns its paths. */
  issueServer(name: string): { cert: string; key: string };
  read(path: string): Buffer;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('openssl is not installed; the TLS tests need it (apt-get install openssl)');
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr?.toString() ?? err.message}`);
  }
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function selfSignedCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

function issue(dir: string, ca: string, name: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
}

const SERVER_EXT = 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n';
const CLIENT_EXT = 'subjectAltName=DNS:prometheus.example\nextendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n';

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-pki-'));
  mkdirSync(dir, { recursive: true });
  selfSignedCa(dir, 'ca');
  selfSignedCa(dir, 'other-ca');
  issue(dir, 'ca', 'server', SERVER_EXT);
  issue(dir, 'ca', 'client', CLIENT_EXT);
  issue(dir, 'other-ca', 'stranger', CLIENT_EXT);
  const path = (file: string): string => join(dir, file);
  return {
    dir,
    caCert: path('ca.crt'),
    serverCert: path('server.crt'),
    serverKey: path('server.key'),
    clientCert: path('client.crt'),
    clientKey: path('client.key'),
    strangerCert: path('stranger.crt'),
    strangerKey: path('stranger.key'),
    issueServer(name: string) {
      issue(dir, 'ca', name, SERVER_EXT);
      return { cert: path(`${name}.crt`), key: path(`${name}.key`) };
    },
    read: (file: string) => readFileSync(file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
