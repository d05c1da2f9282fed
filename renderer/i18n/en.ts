/**
 * The English message table: the reference every other language must match
 * key for key (see `Messages` in ./index.ts).
 *
 * Accessible names used by the end-to-end tests ("Address", "Password",
 * "Server", "Sign in", "Contacts", "Conversations", "Messages", "Message",
 * "Send") must stay exactly these English strings.
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

  // Account header
  account: 'Account',
  statusOnline: 'Online',
  statusConnecting: 'Connecting…',
  statusOffline: 'Offline',
  statusError: 'Error',
  signOut: 'Sign out',

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
  noMessages: 'No messages yet. Say hello!',
  loadingOlder: 'Loading older messages…',
  beginningOfConversation: 'This is the beginning of the conversation.',
  statePending: 'Sending',
  stateSent: 'Sent',
  stateReceived: 'Delivered',
  stateFailed: 'Not sent',
  today: 'Today',
  yesterday: 'Yesterday',
} as const;
