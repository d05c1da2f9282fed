/** The roster's controls: filter, "Show offline contacts", group headers (accessible names). */
import type { Locator, Page } from '@playwright/test';

export class Roster {
  readonly filter: Locator;
  readonly showOffline: Locator;
  /** The filter's result count, for screen readers ("2 contacts found"). */
  readonly found: Locator;
  readonly contacts: Locator;

  constructor(page: Page) {
    this.contacts = page.getByRole('list', { name: 'Contacts' });
    this.filter = page.getByRole('searchbox', { name: 'Filter contacts' });
    this.showOffline = page.getByRole('checkbox', { name: 'Show offline contacts' });
    this.found = page.getByRole('status').filter({ hasText: /contacts? found/u });
  }

  /** A group's header button ("Friends, 1 of 3 online"). */
  groupHeader(name: string): Locator {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
    return this.contacts.getByRole('button', { name: new RegExp(`^${escaped}, \\d+ of \\d+ online$`, 'u') });
  }

  /** The contacts listed in one roster group. */
  group(name: string): Locator {
    return this.contacts.getByRole('group', { name, exact: true });
  }

  /** Every contact item on the list (a contact in two groups counts twice). */
  items(): Locator {
    return this.contacts.getByRole('listitem');
  }
}
