/** Roster, conversations and the open conversation, by their accessible names. */
import type { Locator, Page } from '@playwright/test';
import { AccountsDialog } from './accounts-dialog.ts';

export class MainPage {
  readonly contacts: Locator;
  readonly conversations: Locator;
  readonly messages: Locator;
  readonly composer: Locator;
  readonly send: Locator;
  /** The sidebar header's button that opens the "Accounts" dialog. */
  readonly accountsButton: Locator;
  /** The sidebar header's overall status line. */
  readonly accountStatus: Locator;
  /** Per-account notices under the header (errors, "Sign in", "Reconnect now"). */
  readonly notices: Locator;
  /** The tab strip above the conversation. */
  readonly tabs: Locator;
  /** "New messages", above the first unread message. */
  readonly unreadSeparator: Locator;
  /** The contact's chat state under the messages ("Bob is typing…"). */
  readonly typing: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.contacts = page.getByRole('list', { name: 'Contacts' });
    this.conversations = page.getByRole('list', { name: 'Conversations' });
    this.messages = page.getByRole('list', { name: 'Messages' });
    this.composer = page.getByRole('textbox', { name: 'Message' });
    this.send = page.getByRole('button', { name: 'Send', exact: true });
    this.accountsButton = page.getByRole('button', { name: 'Accounts', exact: true });
    this.accountStatus = page.locator('.account').getByRole('status');
    this.notices = page.getByRole('list', { name: 'Account problems' });
    this.tabs = page.getByRole('tablist', { name: 'Open conversations' });
    this.unreadSeparator = this.messages.getByRole('separator', { name: 'New messages' });
    this.typing = page
      .locator('.chat')
      .getByRole('status')
      .filter({ hasText: /typing/u });
  }

  /** The tab of an open conversation, by the contact's display name. */
  tab(name: string): Locator {
    return this.tabs.getByRole('tab', { name, exact: true });
  }

  closeTab(name: string): Locator {
    return this.tabs.getByRole('button', { name: `Close ${name}`, exact: true });
  }

  /**
   * One of a message's actions ("Reply", "React", "Edit", "Delete for everyone"): they show
   * when the message is hovered or focused.
   */
  async messageAction(text: string, action: string): Promise<void> {
    const item = this.message(text).last();
    await item.hover();
    await item.getByRole('button', { name: action, exact: true }).click();
  }

  async openAccounts(): Promise<AccountsDialog> {
    await this.accountsButton.click();
    const dialog = new AccountsDialog(this.page);
    await dialog.dialog.waitFor();
    return dialog;
  }

  /** With several accounts, contacts are grouped by account address. */
  contactOf(accountJid: string, name: string): Locator {
    return this.contacts
      .getByRole('group', { name: accountJid, exact: true })
      .getByRole('listitem', { name, exact: true });
  }

  /** A conversation of one account (each item carries its account's address). */
  conversationOf(accountJid: string, name: string): Locator {
    return this.conversation(name).filter({ hasText: accountJid });
  }

  /** The notice about one account under the sidebar header. */
  notice(accountJid: string): Locator {
    return this.notices.getByRole('listitem', { name: accountJid, exact: true });
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
