/** "View profile": a contact's vCard, picture, connected devices with their clients, last seen. */
import { useEffect, useState, type ReactNode } from 'react';
import type { ContactProfile, Vcard } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { presenceText, Spinner } from '../../app/ui.tsx';
import { useI18n, type Messages } from '../../i18n/index.ts';
import { ContactAvatar } from './ContactAvatar.tsx';

export function vcardRows(v: Vcard, t: Messages): [string, string][] {
  const rows: [string, string | undefined][] = [
    [t.fullName, v.fullName],
    [t.nickname, v.nickname],
    [t.givenName, v.givenName],
    [t.familyName, v.familyName],
    [t.organisation, [v.organisation?.name, v.organisation?.unit].filter(Boolean).join(', ') || undefined],
    [t.jobTitle, v.title],
    ...v.emails.map((e): [string, string] => [t.email, e.address]),
    ...v.phones.map((p): [string, string] => [t.phone, p.number]),
    ...v.addresses.map((a): [string, string] => [
      t.locality,
      [a.street, a.locality, a.region, a.postcode, a.country].filter(Boolean).join(', '),
    ]),
    [t.birthday, v.birthday],
    [t.website, v.url],
    [t.about, v.description],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}

export function ProfileDialog({
  accountId,
  jid,
  name,
  onClose,
}: {
  accountId: string;
  jid: string;
  name: string;
  onClose: () => void;
}): ReactNode {
  const { t, dateTime } = useI18n();
  const client = useClient();
  const [profile, setProfile] = useState<ContactProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    client.call('contact.profile', { accountId, jid }).then(
      (p) => {
        if (active) setProfile(p);
      },
      (err: unknown) => {
        if (active) setError(errorText(err, t));
      },
    );
    return () => {
      active = false;
    };
  }, [client, accountId, jid, t]);

  const rows = profile?.vcard ? vcardRows(profile.vcard, t) : [];
  return (
    <Dialog title={t.profileTitle(name)} size="md" onClose={onClose} className="profile-dialog">
      {profile === null && error === null && (
        <p role="status">
          <Spinner /> {t.profileLoading}
        </p>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {profile !== null && (
        <div className="profile">
          <div className="profile-head">
            <ContactAvatar name={profile.name} jid={profile.jid} hash={profile.avatar} size="lg" />
            <div>
              <strong>{profile.name}</strong>
              <div className="hint">{profile.jid}</div>
            </div>
          </div>
          {rows.length > 0 ? (
            <dl className="profile-fields">
              {rows.map(([label, value], i) => (
                <div key={String(i)}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="hint">{t.noProfile}</p>
          )}
          <h3>{t.resources}</h3>
          {profile.resources.length === 0 ? (
            <p className="hint">
              {t.noResources}
              {profile.lastSeen && ` ${t.lastSeen(dateTime(profile.lastSeen.at))}`}
              {profile.lastSeen?.status && ` — ${profile.lastSeen.status}`}
            </p>
          ) : (
            <ul className="profile-resources">
              {profile.resources.map((r) => (
                <li key={r.resource}>
                  <strong>{r.client ?? t.clientUnknown}</strong>
                  {r.version && ` ${r.version}`}
                  {r.os && ` (${r.os})`} — {presenceText(r.show, t)}
                  {r.status && `: ${r.status}`}
                  {r.idleSince !== undefined && `, ${t.idleSince(dateTime(r.idleSince))}`}
                  <span className="hint"> · {r.resource}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Dialog>
  );
}
