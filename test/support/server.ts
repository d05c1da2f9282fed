/** Test access to the throwaway Prosody, signed by the run's test CA (see with-test-ca.ts). */
import { freePort, startProsody, type ProsodyOptions, type ProsodyServer } from '../../main/devserver/prosody.ts';

export function testCa(): { certFile: string; keyFile: string } {
  const certFile = process.env['PARLEY_TEST_CA_CERT'];
  const keyFile = process.env['PARLEY_TEST_CA_KEY'];
  if (!certFile || !keyFile) throw new Error('run the tests through test/support/with-test-ca.ts (npm test does)');
  return { certFile, keyFile };
}

export function startTestServer(options: Omit<ProsodyOptions, 'ca'> = {}): Promise<ProsodyServer> {
  return startProsody({ ...options, ca: testCa() });
}

/** The upload size limit of the transfer test server (XEP-0363). */
export const UPLOAD_LIMIT = 16 * 1024 * 1024;

/**
 * File transfer (issue 6): a throwaway Prosody with an XEP-0065 proxy (mod_proxy65 as the
 * component `proxy.<domain>`, listening on loopback) and XEP-0363 HTTP upload
 * (mod_http_file_share as `upload.<domain>`, URLs on 127.0.0.1), both listed by the server's
 * disco#items.
 */
export async function startTransferServer(
  options: Omit<ProsodyOptions, 'ca'> = {},
): Promise<ProsodyServer & { proxyJid: string; proxyPort: number }> {
  const domain = options.domain ?? 'localhost';
  const proxyPort = await freePort();
  const proxyJid = `proxy.${domain}`;
  const server = await startTestServer({
    ...options,
    extraConfig: `${options.extraConfig ?? ''}
proxy65_ports = { ${String(proxyPort)} }
proxy65_interfaces = { "127.0.0.1" }
Component ${JSON.stringify(proxyJid)} "proxy65"
  proxy65_address = "127.0.0.1"
Component ${JSON.stringify(`upload.${domain}`)} "http_file_share"
  http_file_share_size_limit = ${String(UPLOAD_LIMIT)}
  http_file_share_daily_quota = ${String(UPLOAD_LIMIT * 100)}
`,
  });
  return Object.assign(server, { proxyJid, proxyPort });
}

/**
 * HTTP upload (issue 6, XEP-0363): a throwaway Prosody with mod_http_file_share as
 * `upload.<domain>` (listed by the server's disco#items) served over https only, on a free
 * loopback port with the run's certificate (valid for 127.0.0.1), so that its links are
 * `https://127.0.0.1:<port>/…`; `uploadLimit` bytes at most per file.
 */
export async function startUploadServer(
  options: Omit<ProsodyOptions, 'ca'> & { uploadLimit?: number } = {},
): Promise<ProsodyServer & { uploadJid: string; uploadLimit: number }> {
  const { uploadLimit = 1024 * 1024, ...rest } = options;
  const domain = rest.domain ?? 'localhost';
  const uploadJid = `upload.${domain}`;
  const server = await startTestServer({
    ...rest,
    extraConfig: `${rest.extraConfig ?? ''}
https_ports = { ${String(await freePort())} }
https_interfaces = { "127.0.0.1" }
http_ports = { }
Component ${JSON.stringify(uploadJid)} "http_file_share"
  http_file_share_size_limit = ${String(uploadLimit)}
  http_file_share_daily_quota = ${String(uploadLimit * 100)}
`,
  });
  return Object.assign(server, { uploadJid, uploadLimit });
}
