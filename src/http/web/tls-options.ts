// A tls_server_config as Node's TLS options.
import tls from 'node:tls';
import { ConfigError } from '../../config/errors.js';
import { CIPHER_SUITES, CURVES, TLS_VERSIONS, type TlsMaterial, type TlsServerConfig, type WebConfig } from './web-config.js';

/** Node's default TLS 1.3 suites: kept whatever cipher_suites says, as Go ignores it for TLS 1.3. */
const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

export type SecureOptions = tls.SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean };

/** Node's TLS options for a tls_server_config; throws a ConfigError when Node refuses them. */
export function secureOptions(config: WebConfig, tlsConfig: TlsServerConfig, material: TlsMaterial): SecureOptions {
  const tls12 = tlsConfig.cipherSuites.map((name) => CIPHER_SUITES[name]).filter((name): name is string => typeof name === 'string');
  const options: SecureOptions = {
    cert: material.cert,
    key: material.key,
    minVersion: TLS_VERSIONS[tlsConfig.minVersion],
    maxVersion: TLS_VERSIONS[tlsConfig.maxVersion],
    honorCipherOrder: tlsConfig.preferServerCipherSuites,
    requestCert: tlsConfig.clientAuthType !== 'NoClientCert',
    rejectUnauthorized: tlsConfig.clientAuthType === 'RequireAndVerifyClientCert',
  };
  if (material.ca !== undefined) options.ca = material.ca;
  if (tls12.length > 0) options.ciphers = `${tls12.join(':')}:${TLS13_SUITES}`;
  if (tlsConfig.curvePreferences.length > 0) options.ecdhCurve = tlsConfig.curvePreferences.map((curve) => CURVES[curve]).join(':');
  try {
    tls.createSecureContext(options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(config.file, `cannot use this certificate, key and settings: ${reason}`, undefined, ['tls_server_config']);
  }
  return options;
}
