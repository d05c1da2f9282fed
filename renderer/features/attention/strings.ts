/**
 * Attention (issue 7): xmpp: link confirmations and conversation mute, spread into the
 * English and Chinese tables (renderer/i18n).
 */

export const attentionEn = {
  uriOpenTitle: (jid: string) => `Open a conversation with ${jid}?`,
  uriOpenBody: 'A link asks Parley to open this conversation.',
  uriOpenConfirm: 'Open conversation',
  uriMessageTitle: (jid: string) => `Fill the message box for ${jid}?`,
  uriMessageBody: 'A link suggests this message. Nothing is sent until you send it yourself.',
  uriMessageConfirm: 'Fill the message box',
  uriAddTitle: (jid: string) => `Add ${jid} to your contacts?`,
  uriAddBody: 'A link asks Parley to add this contact. You can check the details before anything is sent.',
  uriAddConfirm: 'Continue',
  uriJoinTitle: 'Group chats are not supported yet',
  uriJoinBody: (jid: string) => `A link asks Parley to join the room ${jid}, but Parley cannot join group chats yet.`,
  uriAccount: 'Account',
  muteConversation: 'Mute notifications',
  unmuteConversation: 'Unmute notifications',
  soundOff: 'Turn sound off',
  soundOn: 'Turn sound on',
  mutedLabel: 'Notifications muted',
  uriOk: 'OK',
};

type Widen<T> = T extends (...args: infer A) => string ? (...args: A) => string : string;

export const attentionZhCN: { readonly [K in keyof typeof attentionEn]: Widen<(typeof attentionEn)[K]> } = {
  uriOpenTitle: (jid) => `打开与 ${jid} 的对话？`,
  uriOpenBody: '一个链接请求 Parley 打开此对话。',
  uriOpenConfirm: '打开对话',
  uriMessageTitle: (jid) => `为 ${jid} 填写消息框？`,
  uriMessageBody: '一个链接建议了这条消息。在你亲自发送之前，不会发送任何内容。',
  uriMessageConfirm: '填写消息框',
  uriAddTitle: (jid) => `将 ${jid} 添加为联系人？`,
  uriAddBody: '一个链接请求 Parley 添加此联系人。发送请求前你可以检查详细信息。',
  uriAddConfirm: '继续',
  uriJoinTitle: '暂不支持群聊',
  uriJoinBody: (jid) => `一个链接请求 Parley 加入聊天室 ${jid}，但 Parley 目前还不能加入群聊。`,
  uriAccount: '账户',
  muteConversation: '静音通知',
  unmuteConversation: '取消静音通知',
  soundOff: '关闭提示音',
  soundOn: '开启提示音',
  mutedLabel: '通知已静音',
  uriOk: '确定',
};
