/** The sign-in form, by its accessible names (the UI contract). */
import type { Locator, Page } from '@playwright/test';
import { CertificatePanel } from './certificate-panel.ts';

export class LoginPage {
  readonly address: Locator;
  readonly password: Locator;
  readonly server: Locator;
  readonly signIn: Locator;
  readonly alert: Locator;
  readonly rememberPassword: Locator;
  readonly createAccount: Locator;
  readonly cancel: Locator;
  /** "Connecting…" while a sign-in is under way. */
  readonly connecting: Locator;
  readonly certificate: CertificatePanel;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.address = page.getByRole('textbox', { name: 'Address' });
    this.password = page.getByLabel('Password', { exact: true });
    this.server = page.getByRole('textbox', { name: 'Server' });
    this.signIn = page.getByRole('button', { name: 'Sign in' });
    this.alert = page.getByRole('alert');
    this.rememberPassword = page.getByRole('checkbox', { name: 'Remember password' });
    this.createAccount = page.getByRole('button', { name: 'Create account' });
    this.cancel = page.getByRole('button', { name: 'Cancel', exact: true });
    this.connecting = page.getByRole('status').filter({ hasText: 'Connecting…' });
    this.certificate = new CertificatePanel(page);
  }

  async signInAs(jid: string, password: string, server: string): Promise<void> {
    await this.address.fill(jid);
    await this.password.fill(password);
    await this.server.fill(server);
    await this.signIn.click();
  }
}
