/** Test access to the throwaway Prosody, signed by the run's test CA (see with-test-ca.ts). */
import { startProsody, type ProsodyOptions, type ProsodyServer } from '../../main/devserver/prosody.ts';

export function testCa(): { certFile: string; keyFile: string } {
  const certFile = process.env['PARLEY_TEST_CA_CERT'];
  const keyFile = process.env['PARLEY_TEST_CA_KEY'];
  if (!certFile || !keyFile) throw new Error('run the tests through test/support/with-test-ca.ts (npm test does)');
  return { certFile, keyFile };
}

export function startTestServer(options: Omit<ProsodyOptions, 'ca'> = {}): Promise<ProsodyServer> {
  return startProsody({ ...options, ca: testCa() });
}
