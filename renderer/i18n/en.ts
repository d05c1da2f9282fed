/**
 * The English message table: the reference every other language must match
 * key for key (see `Messages` in ./index.ts).
 *
 * Accessible names used by the end-to-end tests ("Address", "Password",
 * "Server", "Remember password", "Sign in", "Create account", "Contacts",
 * "Conversations", "Messages", "Message", "Send", "Emoji", "Accounts", "Enabled",
 * "Reconnect now", "Edit", "Remove…", "Remove account", "Add account",
 * "Save", "Trust this certificate", "Trust the new certificate…", "Retry",
 * the delivery states "Queued", "Sent", "Delivered", "Read", "Failed", and the
 * conversation's "Reply", "React", "Edit", "Delete for everyone", "edited",
 * "New messages", "Close <name>", "<n> unread") must stay exactly these English strings.
 */
import { rosterActionsEn } from '../features/roster-actions/strings.ts';
import { settingsEn } from '../features/settings/strings.ts';
import { attentionEn } from '../features/attention/strings.ts';
import { transfersEn } from '../features/transfers/strings.ts';

/** English plural categories ("one" / "other"), for counts in sentences. */
const enPlural = new Intl.PluralRules('en');

export const en = {
  appName: 'Parley',
  // Roster actions, own status, profiles, blocking, directory, gateways (features/roster-actions)
  ...rosterActionsEn,
  // Settings window, themes, language (issue 7: features/settings/strings.ts)
  ...settingsEn,
  // Attention (issue 7: xmpp: links, conversation mute; features/attention/strings.ts)
  ...attentionEn,
  // File transfer (issue 6: transfers view, offers, file bubbles; features/transfers/strings.ts)
  ...transfersEn,

  // Core connection (transport)
  connectingToCore: 'Starting Parley…',
  disconnectedTitle: "Disconnected from Parley's core",
  disconnectedBody: 'The connection to the Parley process was lost or refused. Check that it is still running.',
  disconnectedTokenHint: 'In a browser, open the full address that Parley printed, including its token.',
  retry: 'Retry',
  retryingIn: (seconds: number) => `Trying again in ${String(seconds)} s…`,
  reconnecting: 'Reconnecting…',
  notConnectedToCore: "Not connected to Parley's core.",
  unexpectedError: 'Something went wrong. Please try again.',

  // Login
  signInTitle: 'Sign in to your XMPP account',
  signInLead: 'Use the address and password of an existing account, for example name@example.org.',
  address: 'Address',
  addressPlaceholder: 'name@example.org',
  password: 'Password',
  server: 'Server',
  serverPlaceholder: 'host or host:port',
  serverHint: 'Optional. Leave empty to find the server automatically.',
  signIn: 'Sign in',
  signingIn: 'Connecting…',
  cancel: 'Cancel',
  addressRequired: 'Enter your address.',
  addressInvalid: 'Enter an address like name@example.org.',
  passwordRequired: 'Enter your password.',
  serverInvalid: 'Enter a server as host or host:port, or leave it empty.',
  signInFailed: 'Could not sign in.',

  rememberPassword: 'Remember password',
  rememberPasswordHint: 'Kept in your system’s keychain, so Parley can connect when it starts.',
  noAccountYet: 'No account yet?',
  createAccount: 'Create account',

  // Account status
  statusOnline: 'Online',
  statusConnecting: 'Connecting…',
  statusOffline: 'Offline',
  statusDisabled: 'Disabled',
  statusError: 'Error',
  statusNotConnected: 'Not connected',
  statusWaiting: (seconds: number) => `Reconnecting in ${String(seconds)} s`,
  allOnline: 'All online',
  someOnline: (online: number, total: number) => `${String(online)} of ${String(total)} online`,
  allDisabled: 'All accounts disabled',
  accountCount: (count: number) => `${String(count)} ${enPlural.select(count) === 'one' ? 'account' : 'accounts'}`,
  conflictMessage: 'Another client signed in with this account and took over the connection.',
  passwordNeeded: 'Enter the password to connect.',
  accountProblems: 'Account problems',
  syncingHistory: (count: number) =>
    count === 0
      ? 'Syncing history…'
      : `Syncing history… ${String(count)} ${enPlural.select(count) === 'one' ? 'message' : 'messages'}`,
  viaAccount: (jid: string) => `Account: ${jid}`,
  viaServer: (server: string) => `Server: ${server}`,

  // Accounts dialog
  accounts: 'Accounts',
  accountsLead: 'The accounts Parley uses on this computer. A disabled account stays offline until you enable it.',
  noAccounts: 'No accounts.',
  enabled: 'Enabled',
  reconnectNow: 'Reconnect now',
  /** After 'auth-downgrade': the user knowingly accepts the weaker sign-in. */
  allowWeakerSignIn: 'Allow weaker sign-in',
  edit: 'Edit',
  remove: 'Remove…',
  addAccount: 'Add account',
  close: 'Close',
  editAccountTitle: (jid: string) => `Edit ${jid}`,
  save: 'Save',
  saving: 'Saving…',
  removeAccountTitle: (jid: string) => `Remove ${jid}?`,
  removeAccountBody:
    'Parley signs out of this account and forgets it on this computer: its saved password and all of its local message history are deleted. This cannot be undone.',
  removeAccountServerNote: 'The account itself stays on its server: you can add it again later.',
  removeAccountConfirm: 'Remove account',
  removing: 'Removing…',

  // Certificates
  certificateTitle: (jid: string) => `Server certificate for ${jid}`,
  reviewCertificate: 'Review certificate…',
  certUntrustedTitle: 'The server’s certificate is not trusted',
  certUntrustedBody: (jid: string) =>
    `Parley could not verify that the server for ${jid} is who it claims to be, so it did not connect. Someone between you and the server could be pretending to be it. Trust this certificate only if you recognise it, for example because its fingerprint matches the one your server’s administrator gave you.`,
  certChangedTitle: 'Warning: the server’s certificate has changed',
  certChangedBody: (jid: string) =>
    `The server for ${jid} presented a different certificate from the one you chose to trust. Its administrator may have replaced it, but it may also mean that someone is intercepting your connection to read your messages or capture your password. Parley did not connect.`,
  certChangedAdvice:
    'Ask your server’s administrator whether the certificate was changed, and compare the new fingerprint with theirs before you trust it.',
  certSubject: 'Issued to',
  certIssuer: 'Issued by',
  certValidFrom: 'Valid from',
  certValidTo: 'Valid until',
  certFingerprint: 'SHA-256 fingerprint',
  certNewFingerprint: 'New SHA-256 fingerprint',
  certPinned: 'Fingerprint you trusted before',
  certReason: 'Problem',
  trustCertificate: 'Trust this certificate',
  trustNewCertificate: 'Trust the new certificate…',
  trustNewConfirmTitle: 'Trust the new certificate?',
  trustNewConfirmBody:
    'Only continue if the server’s administrator confirmed this new fingerprint. If someone is intercepting your connection, trusting their certificate gives them your password and your messages.',
  trustNewConfirm: 'Trust the new certificate',

  // Roster
  contacts: 'Contacts',
  conversations: 'Conversations',
  noContacts: 'No contacts yet.',
  noConversations: 'No conversations yet.',
  loading: 'Loading…',
  showChat: 'Free to chat',
  showAvailable: 'Online',
  showAway: 'Away',
  showXa: 'Extended away',
  showDnd: 'Do not disturb',
  showOffline: 'Offline',
  // "Filter contacts" and "Show offline contacts" are accessible names used by tests.
  filterContacts: 'Filter contacts',
  filterContactsPlaceholder: 'Filter by name or address',
  showOfflineContacts: 'Show offline contacts',
  ungrouped: 'Ungrouped',
  groupSummary: (name: string, online: number, total: number) =>
    `${name}, ${String(online)} of ${String(total)} online`,
  groupCount: (online: number, total: number) => `(${String(online)}/${String(total)})`,
  noContactsMatch: (query: string) => `No contacts match “${query}”.`,
  nobodyOnline: 'None of your contacts is online.',
  contactsFound: (count: number) =>
    enPlural.select(count) === 'one' ? '1 contact found' : `${String(count)} contacts found`,
  you: 'You',

  // Search ("Search messages" and "Search results" are accessible names used by tests)
  searchMessages: 'Search messages',
  searchPlaceholder: 'Search all conversations',
  searching: 'Searching…',
  searchFilters: 'Search filters',
  searchAccount: 'Account',
  searchAllAccounts: 'All accounts',
  searchContact: 'Contact',
  searchAnyone: 'Anyone',
  searchFrom: 'From',
  searchTo: 'To',
  searchResults: 'Search results',
  searchFromYou: 'You:',
  searchNoResults: 'No messages found.',
  searchMore: 'More results',

  // Chat
  emptyChatTitle: 'Select a contact to start chatting',
  emptyChatBody: 'Your conversations stay on this computer.',
  back: 'Back',
  messages: 'Messages',
  message: 'Message',
  messagePlaceholder: 'Write a message',
  composerHint: 'Enter to send, Shift+Enter for a new line',
  send: 'Send',
  emoji: 'Emoji',
  emojiPicker: 'Choose an emoji',
  noMessages: 'No messages yet. Say hello!',
  loadingOlder: 'Loading older messages…',
  beginningOfConversation: 'This is the beginning of the conversation.',
  stateQueued: 'Queued',
  stateSent: 'Sent',
  stateAcked: 'Sent to server',
  stateDelivered: 'Delivered',
  stateRead: 'Read',
  stateFailed: 'Failed',
  offlineComposer: (jid: string) =>
    `${jid} is not connected. Messages you send now are queued and go out when it reconnects.`,
  disabledComposer: (jid: string) => `${jid} is disabled: switch it on in Accounts to send messages.`,
  today: 'Today',
  yesterday: 'Yesterday',

  // Conversations: tabs, unread, drafts
  openConversations: 'Open conversations',
  closeTab: (name: string) => `Close ${name}`,
  unreadCount: (count: number) => `${String(count)} unread`,
  draftLabel: 'Draft: ',
  newMessages: 'New messages',
  jumpToLatest: 'Jump to the latest message',

  // Message actions
  messageActions: 'Message actions',
  reply: 'Reply',
  react: 'React',
  deleteForEveryone: 'Delete for everyone',
  conversationOptions: 'Conversation options',
  searchToggle: 'Search',
  exportText: 'Export as text',
  exportJson: 'Export as JSON',
  deleteHistory: 'Delete history',
  deleteHistoryTitle: (name: string) => `Delete the history with ${name}?`,
  deleteHistoryBody:
    'Every message of this conversation is deleted from this computer. The server’s archive keeps its copy; other devices keep theirs.',
  edited: 'edited',
  showEditHistory: 'Show the earlier versions',
  editHistoryTitle: 'Edit history',
  editHistoryCurrent: 'Now',
  editHistoryReplaced: (when: string) => `Until ${when}`,
  editHistoryEmpty: 'No earlier versions are stored.',
  messageDeleted: 'This message was deleted',
  deleteTitle: 'Delete this message for everyone?',
  deleteBody: (name: string) =>
    `It is replaced by a note saying it was deleted, here and for ${name}. Apps that do not support deleting may still show it.`,
  deleting: 'Deleting…',
  inReplyTo: (name: string) => `In reply to ${name}`,
  quotedMessageGone: 'The quoted message is not in this conversation’s history.',
  reactions: 'Reactions',
  reactionChip: (emoji: string, count: number) => `${emoji} ${String(count)}`,
  reactionPicker: 'Choose a reaction',

  // Composer: replying, editing, chat states
  replyingTo: (name: string) => `Replying to ${name}`,
  cancelReply: 'Cancel reply',
  editingMessage: 'Editing message',
  cancelEditing: 'Cancel editing',
  editHint: 'Enter to save, Escape to cancel',
  typing: (name: string) => `${name} is typing…`,
  pausedTyping: (name: string) => `${name} paused typing`,

  // Language completeness, keyboard and accessibility (issue 7: quick switcher, shortcuts, core errors)
  quickSwitcher: 'Go to conversation',
  quickSwitcherLabel: 'Find a contact or conversation',
  quickSwitcherPlaceholder: 'Name or address',
  quickSwitcherHint: 'Up and Down choose, Enter opens.',
  quickSwitcherResults: 'Matches',
  quickSwitcherNone: 'Nothing matches.',
  matchCount: (count: number) => (enPlural.select(count) === 'one' ? '1 match' : `${String(count)} matches`),
  newConversation: 'New conversation',
  newConversationLabel: 'Contact or address',
  newConversationHint: 'Pick a contact, or type an address like name@example.org and press Enter.',
  newConversationAccount: 'From account',
  newConversationWith: (jid: string) => `Start a conversation with ${jid}`,
  errBadRequest: 'Parley could not do this: the request was not valid.',
  errUnknownCommand: 'This version of Parley cannot do this.',
  errNotFound: 'This is no longer there.',
  errAuthFailed: 'Wrong address or password.',
  errDnsFailed: 'The server was not found.',
  errConnectionRefused: 'The server refused the connection.',
  errTimeout: 'The server did not answer in time.',
  errTlsFailed: 'A secure connection to the server could not be made.',
  errStreamError: 'The server closed the connection.',
  errNetwork: 'The network connection failed.',
  errNotConnected: 'The account must be online for this.',
  errInternal: 'Something went wrong in Parley.',
  errCertificateUntrusted: 'The server’s certificate is not trusted.',
  errCertificateChanged: 'The server’s certificate has changed.',
  errConflict: 'Another client signed in with this account and took over the connection.',
  errPolicyViolation: 'The server closed the connection for a policy violation.',
  errAuthDowngrade: 'The server offered only a weaker sign-in than before.',
  errRegistrationConflict: 'This address is already taken.',
  errNotAcceptable: 'The server did not accept what was entered.',
  errNotAllowed: 'The server does not allow this.',
  errNotSupported: 'The server does not support this.',
  errNoAnswer: 'The server did not answer.',
  bounceServiceUnavailable: 'the recipient cannot receive messages',
  bounceItemNotFound: 'no such recipient',
  bounceRemoteServerNotFound: 'the recipient’s server could not be reached',
  bounceRemoteServerTimeout: 'the recipient’s server did not answer',
  bounceForbidden: 'not allowed to send to this recipient',
  bounceNotAcceptable: 'the server refused the message',
  bouncePolicyViolation: 'the server refused the message for a policy violation',
  bounceResourceConstraint: 'the server is overloaded',
  bounceOther: 'the server returned an error',
  /** Between "Failed" and its reason. */
  failureSeparator: ': ',
  // HTTP upload links in messages (issue 6): the file bubble.
  attachmentLabel: (name: string) => `File ${name}`,
  attachmentUnnamed: 'File',
  attachmentDownload: 'Download',
  attachmentDownloadAnyway: 'Download anyway',
  attachmentChecking: 'Checking the file…',
  attachmentConfirm: (size: string) => `This file is ${size}. Download it?`,
  attachmentDownloading: (name: string) => `Downloading ${name}`,
  attachmentSaved: (name: string) => `Saved as ${name}`,
  attachmentFailed: 'The download failed.',
  attachmentCancelled: 'Download cancelled.',
  // Inline previews of received images (issue 6): the preview is a button that opens the file.
  imagePreviewOpen: (name: string) => `Open ${name}`,
} as const;
