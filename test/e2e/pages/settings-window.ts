/** The settings window (issue 7), by its accessible names: tabs, "Language", "Theme", the privacy switches. */
import type { Locator, Page } from '@playwright/test';

export const SETTINGS_TABS = ['Accounts', 'General', 'Notifications', 'Privacy', 'Files', 'Advanced'] as const;

export class SettingsWindow {
  readonly page: Page;
  readonly dialog: Locator;
  readonly tablist: Locator;
  readonly panel: Locator;
  readonly language: Locator;
  readonly theme: Locator;
  readonly sendTyping: Locator;
  readonly sendReadMarkers: Locator;
  readonly close: Locator;

  constructor(page: Page, name = 'Settings') {
    this.page = page;
    this.dialog = page.getByRole('dialog', { name, exact: true });
    this.tablist = this.dialog.getByRole('tablist');
    this.panel = this.dialog.getByRole('tabpanel');
    this.language = this.dialog.getByRole('combobox', { name: 'Language', exact: true });
    this.theme = this.dialog.getByRole('combobox', { name: 'Theme', exact: true });
    this.sendTyping = this.dialog.getByRole('checkbox', { name: 'Send typing notifications' });
    this.sendReadMarkers = this.dialog.getByRole('checkbox', { name: 'Send read markers' });
    this.close = this.dialog.getByRole('button', { name: 'Close' }).first();
  }

  /** The "Settings" button of the main view or the sign-in screen. */
  static opener(page: Page, name = 'Settings'): Locator {
    return page.getByRole('button', { name, exact: true });
  }

  tab(name: string): Locator {
    return this.tablist.getByRole('tab', { name, exact: true });
  }
}
