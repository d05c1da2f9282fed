/** The "Accounts" dialog and its rows, the account editor and the removal confirmation. */
import type { Locator, Page } from '@playwright/test';
import { CertificatePanel } from './certificate-panel.ts';

export class AccountsDialog {
  readonly page: Page;
  readonly dialog: Locator;
  readonly list: Locator;
  readonly addAccount: Locator;
  readonly close: Locator;

  constructor(page: Page) {
    this.page = page;
    this.dialog = page.getByRole('dialog', { name: 'Accounts', exact: true });
    this.list = this.dialog.getByRole('list', { name: 'Accounts', exact: true });
    this.addAccount = this.dialog.getByRole('button', { name: 'Add account' });
    this.close = this.dialog.getByRole('button', { name: 'Close' }).first();
  }

  row(jid: string): AccountRow {
    return new AccountRow(this.page, this.list.getByRole('listitem', { name: jid, exact: true }));
  }
}

export class AccountRow {
  readonly item: Locator;
  readonly enabled: Locator;
  readonly reconnect: Locator;
  readonly signIn: Locator;
  readonly edit: Locator;
  readonly remove: Locator;
  /** The account's error, announced when it appears. */
  readonly alert: Locator;
  readonly certificate: CertificatePanel;

  constructor(page: Page, item: Locator) {
    this.item = item;
    this.enabled = item.getByRole('checkbox', { name: 'Enabled' });
    this.reconnect = item.getByRole('button', { name: 'Reconnect now' });
    this.signIn = item.getByRole('button', { name: 'Sign in' });
    this.edit = item.getByRole('button', { name: 'Edit', exact: true });
    this.remove = item.getByRole('button', { name: 'Remove…', exact: true });
    this.alert = item.getByRole('alert');
    this.certificate = new CertificatePanel(page, item);
  }
}

export class AccountEditor {
  readonly dialog: Locator;
  readonly server: Locator;
  readonly rememberPassword: Locator;
  readonly save: Locator;

  constructor(page: Page, jid: string) {
    this.dialog = page.getByRole('dialog', { name: `Edit ${jid}` });
    this.server = this.dialog.getByRole('textbox', { name: 'Server' });
    this.rememberPassword = this.dialog.getByRole('checkbox', { name: 'Remember password' });
    this.save = this.dialog.getByRole('button', { name: 'Save' });
  }
}

export class RemoveAccountDialog {
  readonly dialog: Locator;
  readonly confirm: Locator;
  readonly cancel: Locator;

  constructor(page: Page, jid: string) {
    this.dialog = page.getByRole('dialog', { name: `Remove ${jid}?` });
    this.confirm = this.dialog.getByRole('button', { name: 'Remove account' });
    this.cancel = this.dialog.getByRole('button', { name: 'Cancel' });
  }
}
