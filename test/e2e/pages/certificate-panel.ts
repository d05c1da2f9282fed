/** The certificate panel (untrusted or changed certificate), by its accessible names. */
import type { Locator, Page } from '@playwright/test';

/** "AB:CD:…": 32 colon-separated upper-case hex bytes. */
export const SHA256_FINGERPRINT = /^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/u;

export class CertificatePanel {
  /** The panel: a region named by its warning title. */
  readonly panel: Locator;
  readonly trust: Locator;
  /** For a changed certificate: the first of two steps. */
  readonly trustNew: Locator;
  readonly cancel: Locator;
  /** The second step for a changed certificate: a confirmation dialog. */
  readonly confirm: Locator;

  constructor(page: Page, scope: Locator | Page = page) {
    this.panel = scope.getByRole('region', { name: /certificate/iu });
    this.trust = this.panel.getByRole('button', { name: 'Trust this certificate', exact: true });
    this.trustNew = this.panel.getByRole('button', { name: 'Trust the new certificate…', exact: true });
    this.cancel = this.panel.getByRole('button', { name: 'Cancel', exact: true });
    this.confirm = page.getByRole('dialog', { name: 'Trust the new certificate?' });
  }

  /** The fingerprint as shown (SHA-256 first; a changed certificate also shows the old one). */
  fingerprints(): Promise<string[]> {
    return this.panel.locator('code').allTextContents();
  }

  detail(term: string): Locator {
    return this.panel.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
  }
}
