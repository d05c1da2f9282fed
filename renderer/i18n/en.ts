/**
 * The English message table: the reference every other language must match
 * key for key (see `Messages` in ./index.ts).
 *
 * Accessible names used by the end-to-end tests ("Address", "Password",
 * "Server", "Remember password", "Sign in", "Create account", "Contacts",
 * "Conversations", "Messages", "Message", "Send", "Emoji", "Accounts", "Enabled",
 * "Reconnect now", "Edit", "Remove…", "Remove account", "Add account",
 * "Save", "Trust this certificate", "Trust the new certificate…", "Retry",
 * and the delivery states "Queued", "Sent", "Delivered", "Read", "Failed")
 * must stay exactly these English strings.
 */
export const en = {
  appName: 'Parley',

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
  accountCount: (count: number) => `${String(count)} accounts`,
  conflictMessage: 'Another client signed in with this account and took over the connection.',
  passwordNeeded: 'Enter the password to connect.',
  accountProblems: 'Account problems',
  syncingHistory: (count: number) =>
    count === 0 ? 'Syncing history…' : `Syncing history… ${String(count)} ${count === 1 ? 'message' : 'messages'}`,
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
  you: 'You',

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
} as const;
