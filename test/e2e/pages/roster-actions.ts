/** The roster actions (add contact, subscription requests, own status, contact menu, profiles), by accessible names. */
import type { Locator, Page } from '@playwright/test';

export class RosterActionsPage {
  readonly page: Page;
  readonly addContact: Locator;
  readonly status: Locator;
  readonly statusMessage: Locator;
  readonly dialog: Locator;

  constructor(page: Page) {
    this.page = page;
    this.addContact = page.getByRole('button', { name: 'Add contact', exact: true });
    this.status = page.getByRole('combobox', { name: 'Status', exact: true });
    this.statusMessage = page.getByRole('combobox', { name: 'Status message', exact: true });
    this.dialog = page.getByRole('dialog');
  }

  async add(address: string, name: string, group: string): Promise<void> {
    await this.addContact.click();
    await this.dialog.getByLabel('Address', { exact: true }).fill(address);
    await this.dialog.getByLabel('Name', { exact: true }).fill(name);
    await this.dialog.getByLabel('Group', { exact: true }).fill(group);
    await this.dialog.getByRole('button', { name: 'Add', exact: true }).click();
  }

  /** The notice of a subscription request from `jid`. */
  request(jid: string): Locator {
    return this.page.getByRole('region', { name: 'Contact requests' }).getByRole('group', { name: jid });
  }

  contactActions(name: string): Locator {
    return this.page.getByRole('button', { name: `Actions for ${name}`, exact: true });
  }

  menuItem(name: string): Locator {
    return this.page.getByRole('menuitem', { name, exact: true });
  }
}
