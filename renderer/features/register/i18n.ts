/**
 * Strings of the registration screen and the account's security section
 * (XEP-0077), in every language of renderer/i18n. The Chinese table is typed
 * against the English one: a missing or extra key is a compile error.
 *
 * Accessible names used by the end-to-end tests ("Create account", "Server",
 * "Continue", "CAPTCHA", "Register", "New password", "Confirm new password",
 * "Change password", "Delete account on server…", "Type your address to
 * confirm", "Delete account") must stay exactly these English strings.
 */
import { useI18n, type Language } from '../../i18n/index.ts';

const en = {
  // Registration
  title: 'Create account',
  lead: 'Create a new account on an XMPP server that allows signing up from apps.',
  server: 'Server',
  serverPlaceholder: 'example.org',
  serverHint: 'The part after the @ in your new address.',
  host: 'Host',
  hostPlaceholder: 'host or host:port',
  hostHint: 'Optional. Only if the server is reached at another address; leave empty to find it automatically.',
  continue: 'Continue',
  fetching: 'Asking the server for its form…',
  serverRequired: 'Enter the name of a server, like example.org.',
  serverInvalid: 'Enter just the server name, like example.org.',
  hostInvalid: 'Enter a host as host or host:port, or leave it empty.',
  formLead: (domain: string) => `Sign-up form of ${domain}`,
  serverSays: 'The server says:',
  addressPreview: (jid: string) => `Your address will be ${jid}`,
  captcha: 'CAPTCHA',
  captchaHint: 'Type what the picture shows, to prove you are a person.',
  register: 'Register',
  registering: 'Creating your account…',
  rememberPassword: 'Remember password',
  fieldRequired: (label: string) => `Fill in “${label}”.`,
  newCaptcha: 'The server issued a new CAPTCHA: please type the new one.',
  formExpired: 'The sign-up form had expired; here is a fresh one. Please check your answers.',
  back: 'Back',
  cancel: 'Cancel',

  // Account security
  securityTitle: 'Password and account',
  newPassword: 'New password',
  newPasswordHint: 'Your other devices will need the new password to sign in again.',
  confirmPassword: 'Confirm new password',
  changePassword: 'Change password',
  changingPassword: 'Changing the password…',
  passwordChanged: 'Password changed.',
  passwordEmpty: 'Enter a new password.',
  passwordsDiffer: 'The two passwords do not match.',
  needsOnline: 'Sign in to change the password or delete the account on the server.',
  deleteOpen: 'Delete account on server…',
  deleteTitle: (jid: string) => `Delete ${jid} on the server?`,
  deleteBody:
    'The server deletes the account with its contacts and stored messages. Nobody can sign in with this address again, and this cannot be undone. Parley also forgets the account on this computer.',
  confirmLabel: 'Type your address to confirm',
  confirmMismatch: (jid: string) => `Type ${jid} exactly to confirm.`,
  deleteConfirm: 'Delete account',
  deleting: 'Deleting the account…',

  // XEP-0077's own fields, by the labels the core gives them (main/core/xmpp/register.ts
  // LEGACY_FIELDS): Parley's words, so shown in the user's language (issue 7)
  fieldUsername: 'Username',
  fieldPassword: 'Password',
  fieldNick: 'Nickname',
  fieldName: 'Full name',
  fieldFirst: 'Given name',
  fieldLast: 'Family name',
  fieldEmail: 'Email',
  fieldAddress: 'Street',
  fieldCity: 'City',
  fieldState: 'State or region',
  fieldZip: 'Postal code',
  fieldPhone: 'Telephone',
  fieldUrl: 'Web page',
  fieldDate: 'Birth date',
  fieldMisc: 'Other information',
  fieldText: 'Comment',
};

type Widen<T> = T extends (...args: infer A) => string ? (...args: A) => string : string;
/** The shape every table must have: exactly the keys of `en`. */
export type RegisterMessages = { readonly [K in keyof typeof en]: Widen<(typeof en)[K]> };

const zhCN: RegisterMessages = {
  title: '注册账号',
  lead: '在允许通过应用注册的 XMPP 服务器上创建新账号。',
  server: '服务器',
  serverPlaceholder: 'example.org',
  serverHint: '新地址中 @ 之后的部分。',
  host: '主机',
  hostPlaceholder: '主机 或 主机:端口',
  hostHint: '可选。仅当服务器位于其他地址时填写；留空则自动查找。',
  continue: '继续',
  fetching: '正在向服务器请求注册表单…',
  serverRequired: '请输入服务器名称，例如 example.org。',
  serverInvalid: '请只输入服务器名称，例如 example.org。',
  hostInvalid: '请以 主机 或 主机:端口 的形式输入，或留空。',
  formLead: (domain) => `${domain} 的注册表单`,
  serverSays: '服务器说明：',
  addressPreview: (jid) => `你的地址将是 ${jid}`,
  captcha: '验证码',
  captchaHint: '请输入图片中的内容，以证明你不是机器人。',
  register: '注册',
  registering: '正在创建账号…',
  rememberPassword: '记住密码',
  fieldRequired: (label) => `请填写“${label}”。`,
  newCaptcha: '服务器已发出新的验证码，请重新输入。',
  formExpired: '注册表单已过期，已为你重新获取。请检查你的填写内容。',
  back: '返回',
  cancel: '取消',

  securityTitle: '密码与账号',
  newPassword: '新密码',
  newPasswordHint: '你的其他设备需要使用新密码重新登录。',
  confirmPassword: '确认新密码',
  changePassword: '修改密码',
  changingPassword: '正在修改密码…',
  passwordChanged: '密码已修改。',
  passwordEmpty: '请输入新密码。',
  passwordsDiffer: '两次输入的密码不一致。',
  needsOnline: '请先登录，才能修改密码或在服务器上删除账号。',
  deleteOpen: '在服务器上删除账号…',
  deleteTitle: (jid) => `要在服务器上删除 ${jid} 吗？`,
  deleteBody:
    '服务器将删除该账号及其联系人和保存的消息。此后任何人都无法再用这个地址登录，且无法撤销。Parley 也会在这台电脑上忘记该账号。',
  confirmLabel: '输入你的地址以确认',
  confirmMismatch: (jid) => `请准确输入 ${jid} 以确认。`,
  deleteConfirm: '删除账号',
  deleting: '正在删除账号…',

  fieldUsername: '用户名',
  fieldPassword: '密码',
  fieldNick: '昵称',
  fieldName: '全名',
  fieldFirst: '名',
  fieldLast: '姓',
  fieldEmail: '电子邮件',
  fieldAddress: '街道',
  fieldCity: '城市',
  fieldState: '省/州',
  fieldZip: '邮政编码',
  fieldPhone: '电话',
  fieldUrl: '网页',
  fieldDate: '出生日期',
  fieldMisc: '其他信息',
  fieldText: '备注',
};

const tables = { en, 'zh-CN': zhCN } satisfies Record<Language, RegisterMessages>;

/** The table for the app's language (chosen once by renderer/i18n). */
export function useRegisterText(): RegisterMessages {
  return tables[useI18n().lang];
}

type FieldKey = {
  [K in keyof RegisterMessages]: K extends `field${string}` ? (RegisterMessages[K] extends string ? K : never) : never;
}[keyof RegisterMessages];

const FIELD_KEYS: Readonly<Record<string, FieldKey>> = {
  username: 'fieldUsername',
  password: 'fieldPassword',
  nick: 'fieldNick',
  name: 'fieldName',
  first: 'fieldFirst',
  last: 'fieldLast',
  email: 'fieldEmail',
  address: 'fieldAddress',
  city: 'fieldCity',
  state: 'fieldState',
  zip: 'fieldZip',
  phone: 'fieldPhone',
  url: 'fieldUrl',
  date: 'fieldDate',
  misc: 'fieldMisc',
  text: 'fieldText',
};

/**
 * A sign-up field's label in the user's language when it is Parley's own (a XEP-0077 field
 * the core labelled in English); a label the server chose stays as the server wrote it.
 */
export function fieldLabel(field: { var: string; label: string }, r: RegisterMessages): string {
  const key = Object.hasOwn(FIELD_KEYS, field.var) ? FIELD_KEYS[field.var] : undefined;
  return key !== undefined && field.label === en[key] ? r[key] : field.label;
}

/** Both tables, for the check that every key exists in every language (test/unit/renderer/i18n.test.ts). */
export { tables as registerTables };
