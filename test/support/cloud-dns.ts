// The clouds' own host names (cwp.tencentcloudapi.com, sts.intl.tencentcloudapi.com,
// tds.cn-shanghai.aliyuncs.com, ...) resolved to 127.0.0.1 in this test process, so the real SDK
// clients address the emulator as they address the clouds: the Host header, and Tencent's signing
// scope (whose service the SDK takes from the host's first label), name the product, and the
// emulator checks them as the cloud does (src/emulator/*/actions.ts). Every connection then goes to
// the port the endpoint names (http://cwp.tencentcloudapi.com:PORT). Node's sockets look host
// names up through dns.lookup, the one hook both SDKs' HTTP stacks share (Alibaba's takes no agent).
import dns from 'node:dns';

const CLOUD_DOMAINS = /\.(tencentcloudapi|aliyuncs)\.com$/i;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** Resolves the clouds' host names to 127.0.0.1 until the returned function is called. */
export function cloudHostsOnLoopback(): () => void {
  const original = dns.lookup;
  const lookup = function (hostname: string, options: unknown, callback?: LookupCallback): void {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    if (!CLOUD_DOMAINS.test(hostname)) {
      (original as (...args: unknown[]) => void).call(dns, hostname, typeof options === 'function' ? {} : options, done);
      return;
    }
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
  };
  (dns as { lookup: unknown }).lookup = lookup;
  return () => {
    (dns as { lookup: unknown }).lookup = original;
  };
}

/** http://<host>:<port>: a cloud host name that reaches the emulator listening on `port`. */
export function cloudEndpoint(host: string, port: number): { protocol: 'http'; host: string } {
  return { protocol: 'http', host: `${host}:${port}` };
}
