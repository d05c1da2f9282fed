/** "My profile": our vCard fields and picture (checked for size and type before upload). */
import { useEffect, useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import type { Vcard } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { ContactAvatar } from './ContactAvatar.tsx';

/** The contract takes at most 240 000 base64 characters: about 180 KB; we ask for 160 KB. */
export const MAX_PICTURE_BYTES = 160 * 1024;
const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

type Simple = 'fullName' | 'nickname' | 'givenName' | 'familyName' | 'title' | 'birthday' | 'url' | 'description';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function OwnProfileDialog({ accountId, jid, onClose }: { accountId: string; jid: string; onClose: () => void }) {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [card, setCard] = useState<Vcard | null>(null);
  const [avatar, setAvatar] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    let active = true;
    client.call('vcard.get', { accountId }).then(
      (r) => {
        if (!active) return;
        setCard(r.vcard);
        setAvatar(r.avatar);
      },
      (err: unknown) => {
        if (active) setNote({ text: errorText(err, t), error: true });
      },
    );
    return () => {
      active = false;
    };
  }, [client, accountId, t]);

  const field = (key: Simple, label: string, multiline = false): ReactNode => (
    <>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {multiline ? (
        <textarea
          id={`${id}-${key}`}
          value={card?.[key] ?? ''}
          readOnly={busy}
          maxLength={8000}
          onChange={(e) => {
            setCard((c) => c && { ...c, [key]: e.target.value });
          }}
        />
      ) : (
        <input
          id={`${id}-${key}`}
          type={key === 'birthday' ? 'date' : 'text'}
          value={card?.[key] ?? ''}
          readOnly={busy}
          maxLength={1000}
          onChange={(e) => {
            setCard((c) => c && { ...c, [key]: e.target.value });
          }}
        />
      )}
    </>
  );

  const save = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (card === null || busy) return;
    setBusy(true);
    setNote(null);
    const clean = Object.fromEntries(
      Object.entries(card).filter(([, v]) => v !== undefined && v !== ''),
    ) as unknown as Vcard;
    client.call('vcard.set', { accountId, vcard: clean }).then(
      (r) => {
        setCard(r.vcard);
        setNote({ text: t.saved, error: false });
        setBusy(false);
      },
      (err: unknown) => {
        setNote({ text: errorText(err, t), error: true });
        setBusy(false);
      },
    );
  };

  const upload = (file: File | undefined): void => {
    if (!file) return;
    if (!PICTURE_TYPES.includes(file.type)) {
      setNote({ text: t.pictureWrongType, error: true });
      return;
    }
    if (file.size > MAX_PICTURE_BYTES) {
      setNote({ text: t.pictureTooBig, error: true });
      return;
    }
    setBusy(true);
    setNote(null);
    void file
      .arrayBuffer()
      .then((buffer) => client.call('avatar.set', { accountId, data: toBase64(new Uint8Array(buffer)) }))
      .then(
        (r) => {
          setAvatar(r.hash);
          setBusy(false);
        },
        (err: unknown) => {
          setNote({ text: errorText(err, t), error: true });
          setBusy(false);
        },
      );
  };

  const email = card?.emails[0]?.address ?? '';
  const phone = card?.phones[0]?.number ?? '';
  return (
    <Dialog title={t.myProfile} size="md" onClose={onClose}>
      {card === null && note === null && (
        <p role="status">
          <Spinner /> {t.profileLoading}
        </p>
      )}
      {card !== null && (
        <form className="form" onSubmit={save} noValidate>
          <div className="profile-head">
            <ContactAvatar name={card.fullName ?? jid} jid={jid} hash={avatar} size="lg" />
            <label className="button secondary file-button">
              {t.choosePicture}
              <input
                type="file"
                accept={PICTURE_TYPES.join(',')}
                className="visually-hidden"
                disabled={busy}
                onChange={(e) => {
                  upload(e.target.files?.[0]);
                  e.target.value = '';
                }}
              />
            </label>
            {avatar !== undefined && (
              <button
                type="button"
                className="button secondary"
                disabled={busy}
                onClick={() => {
                  setBusy(true);
                  client.call('avatar.set', { accountId, data: null }).then(
                    () => {
                      setAvatar(undefined);
                      setBusy(false);
                    },
                    (err: unknown) => {
                      setNote({ text: errorText(err, t), error: true });
                      setBusy(false);
                    },
                  );
                }}
              >
                {t.removePicture}
              </button>
            )}
          </div>
          {field('fullName', t.fullName)}
          {field('nickname', t.nickname)}
          {field('givenName', t.givenName)}
          {field('familyName', t.familyName)}
          {field('title', t.jobTitle)}
          <label htmlFor={`${id}-email`}>{t.email}</label>
          <input
            id={`${id}-email`}
            type="email"
            value={email}
            readOnly={busy}
            onChange={(e) => {
              const address = e.target.value;
              setCard((c) => c && { ...c, emails: [{ address }, ...c.emails.slice(1)] });
            }}
          />
          <label htmlFor={`${id}-phone`}>{t.phone}</label>
          <input
            id={`${id}-phone`}
            type="tel"
            value={phone}
            readOnly={busy}
            onChange={(e) => {
              const number = e.target.value;
              setCard((c) => c && { ...c, phones: [{ number }, ...c.phones.slice(1)] });
            }}
          />
          {field('birthday', t.birthday)}
          {field('url', t.website)}
          {field('description', t.about, true)}
          <div
            className={note?.error === true ? 'form-error' : 'hint'}
            role={note?.error === true ? 'alert' : 'status'}
          >
            {note?.text}
          </div>
          <div className="form-actions">
            <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
              {t.cancel}
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              {t.save}
            </button>
          </div>
        </form>
      )}
      {card === null && note !== null && (
        <p className="form-error" role="alert">
          {note.text}
        </p>
      )}
    </Dialog>
  );
}
