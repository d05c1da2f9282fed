/**
 * The words of notifications and the tray menu, which the core writes (the renderer's i18n
 * tables live in the renderer). English and Simplified Chinese; the Chinese table is typed
 * against the English one, so a missing string is a compile error.
 */
export type OwnShow = 'chat' | 'available' | 'away' | 'xa' | 'dnd' | 'offline';
export type CoreLanguage = 'en' | 'zh-CN';

const en = {
  appName: 'Parley',
  /** A burst: "Alice (3)". */
  titleWithCount: (name: string, n: number) => `${name} (${String(n)})`,
  newMessage: 'New message',
  newMessages: (n: number) => `${String(n)} new messages`,
  newMessageFrom: (name: string) => `New message from ${name}`,
  newMessagesFrom: (name: string, n: number) => `${String(n)} new messages from ${name}`,
  contactRequestTitle: 'Contact request',
  contactRequestFrom: (name: string) => `${name} would like to add you as a contact`,
  contactRequest: 'Someone would like to add you as a contact',
  connectionTitle: (account: string) => `${account} is not connected`,
  authFailed: 'The password was not accepted. Open Parley to sign in again.',
  certificateProblem: "The server's certificate is not trusted. Open Parley to check it.",
  roomMention: (room: string) => `Mentioned in ${room}`,
  roomInvitation: (room: string) => `Invitation to ${room}`,
  roomInvitationFrom: (name: string, room: string) => `${name} invites you to ${room}`,
  incomingFile: 'Incoming file',
  incomingFileFrom: (name: string, file: string) => `${name} sends you ${file}`,
  closeToTrayTitle: 'Parley is still running',
  closeToTrayBody: 'Parley keeps running in the tray so that you get messages. Quit it from the tray menu.',
  trayOpen: 'Open Parley',
  trayAvailable: 'Available',
  trayAway: 'Away',
  trayDnd: 'Do not disturb',
  trayInvisible: 'Invisible',
  trayMute1h: 'Mute notifications for 1 hour',
  trayMuteTomorrow: 'Mute notifications until tomorrow',
  trayUnmute: 'Unmute notifications',
  trayQuit: 'Quit Parley',
  tooltipShow: {
    chat: 'Free to chat',
    available: 'Available',
    away: 'Away',
    xa: 'Not available',
    dnd: 'Do not disturb',
    offline: 'Offline',
  } as Record<OwnShow, string>,
  tooltipUnread: (n: number) => (n === 1 ? '1 unread message' : `${String(n)} unread messages`),
  tooltipMuted: 'notifications muted',
};

export type CoreStrings = typeof en;

const zhCN: CoreStrings = {
  appName: 'Parley',
  titleWithCount: (name, n) => `${name}（${String(n)}）`,
  newMessage: '新消息',
  newMessages: (n) => `${String(n)} 条新消息`,
  newMessageFrom: (name) => `来自 ${name} 的新消息`,
  newMessagesFrom: (name, n) => `来自 ${name} 的 ${String(n)} 条新消息`,
  contactRequestTitle: '联系人请求',
  contactRequestFrom: (name) => `${name} 想添加你为联系人`,
  contactRequest: '有人想添加你为联系人',
  connectionTitle: (account) => `${account} 未连接`,
  authFailed: '密码未被接受。请打开 Parley 重新登录。',
  certificateProblem: '服务器证书不受信任。请打开 Parley 查看。',
  roomMention: (room) => `在 ${room} 中提到了你`,
  roomInvitation: (room) => `邀请你加入 ${room}`,
  roomInvitationFrom: (name, room) => `${name} 邀请你加入 ${room}`,
  incomingFile: '收到文件',
  incomingFileFrom: (name, file) => `${name} 向你发送了 ${file}`,
  closeToTrayTitle: 'Parley 仍在运行',
  closeToTrayBody: 'Parley 会在托盘中继续运行，以便接收消息。可从托盘菜单退出。',
  trayOpen: '打开 Parley',
  trayAvailable: '在线',
  trayAway: '离开',
  trayDnd: '请勿打扰',
  trayInvisible: '隐身',
  trayMute1h: '静音通知 1 小时',
  trayMuteTomorrow: '静音通知直到明天',
  trayUnmute: '取消静音通知',
  trayQuit: '退出 Parley',
  tooltipShow: {
    chat: '空闲',
    available: '在线',
    away: '离开',
    xa: '长时间离开',
    dnd: '请勿打扰',
    offline: '离线',
  },
  tooltipUnread: (n) => `${String(n)} 条未读消息`,
  tooltipMuted: '通知已静音',
};

export const coreStrings: Record<CoreLanguage, CoreStrings> = { en, 'zh-CN': zhCN };

/** The language for a setting ('system' follows the host's locale, e.g. "zh-CN", "zh_TW.UTF-8", "en-US"). */
export function coreLanguage(setting: string, systemLocale: string | undefined): CoreLanguage {
  const chosen = setting === 'system' ? (systemLocale ?? 'en') : setting;
  return /^zh/iu.test(chosen) ? 'zh-CN' : 'en';
}
