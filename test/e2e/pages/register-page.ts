/** "Create account" (XEP-0077) and the account's security section, by their accessible names. */
import type { Locator, Page } from '@playwright/test';

export class RegisterPage {
  readonly heading: Locator;
  readonly server: Locator;
  readonly host: Locator;
  readonly continue: Locator;
  readonly register: Locator;
  readonly captcha: Locator;
  readonly alert: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { name: 'Create account' });
    this.server = page.getByRole('textbox', { name: 'Server' });
    this.host = page.getByRole('textbox', { name: 'Host' });
    this.continue = page.getByRole('button', { name: 'Continue' });
    this.register = page.getByRole('button', { name: 'Register' });
    this.captcha = page.getByRole('img', { name: 'CAPTCHA' });
    this.alert = page.getByRole('alert');
  }

  /** A field of the server's form, by the server's label. */
  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  async askServer(domain: string, host: string): Promise<void> {
    await this.server.fill(domain);
    await this.host.fill(host);
    await this.continue.click();
  }
}

export class AccountSecuritySection {
  readonly newPassword: Locator;
  readonly confirmPassword: Locator;
  readonly changePassword: Locator;
  readonly deleteOpen: Locator;
  readonly confirmation: Locator;
  readonly deleteAccount: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.newPassword = page.getByLabel('New password', { exact: true });
    this.confirmPassword = page.getByLabel('Confirm new password', { exact: true });
    this.changePassword = page.getByRole('button', { name: 'Change password' });
    this.deleteOpen = page.getByRole('button', { name: 'Delete account on server…' });
    this.confirmation = page.getByRole('textbox', { name: 'Type your address to confirm' });
    this.deleteAccount = page.getByRole('button', { name: 'Delete account', exact: true });
  }
}
