/**
 * A contact's picture (XEP-0084 / XEP-0153, from the core's cache), or the initials avatar
 * when there is none. For the contact list, conversations and notifications.
 */
import type { ReactNode } from 'react';
import type { Show } from '../../../preload/contract.ts';
import { Avatar } from '../../app/ui.tsx';
import { useAvatar } from './useAvatar.ts';

export function ContactAvatar({
  name,
  jid,
  hash,
  show,
  size = 'md',
}: {
  name: string;
  jid: string;
  hash: string | undefined;
  show?: Show | undefined;
  size?: 'sm' | 'md' | 'lg';
}): ReactNode {
  const url = useAvatar(hash);
  if (url === undefined) return <Avatar name={name} jid={jid} show={show} size={size} />;
  return (
    <span className={`avatar avatar-${size} avatar-picture`} aria-hidden="true">
      <img src={url} alt="" />
    </span>
  );
}
