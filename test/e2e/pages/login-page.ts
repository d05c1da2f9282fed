/** The sign-in form, by its accessible names (the UI contract). */
import type { Locator, Page } from '@playwright/test';

export class LoginPage {
  readonly address: Locator;
  readonly password: Locator;
  readonly server: Locator;
  readonly signIn: Locator;
  readonly alert: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.address = page.getByRole('textbox', { name: 'Address' });
    this.password = page.getByLabel('Password', { exact: true });
    this.server = page.getByRole('textbox', { name: 'Server' });
    this.signIn = page.getByRole('button', { name: 'Sign in' });
    this.alert = page.getByRole('alert');
  }

  async signInAs(jid: string, password: string, server: string): Promise<void> {
    await this.address.fill(jid);
    await this.password.fill(password);
    await this.server.fill(server);
    await this.signIn.click();
  }
}
