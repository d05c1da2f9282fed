/** Roster, conversations and the open conversation, by their accessible names. */
import type { Locator, Page } from '@playwright/test';

export class MainPage {
  readonly contacts: Locator;
  readonly conversations: Locator;
  readonly messages: Locator;
  readonly composer: Locator;
  readonly send: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.contacts = page.getByRole('list', { name: 'Contacts' });
    this.conversations = page.getByRole('list', { name: 'Conversations' });
    this.messages = page.getByRole('list', { name: 'Messages' });
    this.composer = page.getByRole('textbox', { name: 'Message' });
    this.send = page.getByRole('button', { name: 'Send' });
  }

  contact(name: string): Locator {
    return this.contacts.getByRole('listitem', { name, exact: true });
  }

  conversation(name: string): Locator {
    return this.conversations.getByRole('listitem', { name, exact: true });
  }

  message(text: string): Locator {
    return this.messages.getByRole('listitem').filter({ hasText: text });
  }

  async sendMessage(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.send.click();
  }
}
