/**
 * Sign-in form. Validates obvious mistakes with the contract's own schemas,
 * then calls `account.signIn`; the core is the authority. The call may answer
 * at once with status `connecting`: the form then waits for the account to
 * turn `online` (done) or `error` (its message is shown).
 */
import { useEffect, useId, useRef, useState, type SyntheticEvent, type ReactNode } from 'react';
import { BareJid, ServerOverride, type AccountState } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Logo, Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';

export interface LoginPrefill {
  jid: string;
  server: string;
}

interface Props {
  prefill: LoginPrefill | null;
  accounts: readonly AccountState[];
  /** Merge the account state `account.signIn` returned. */
  put: (account: AccountState) => void;
  /** The form must stay up until the sign-in settles, even if an account appears meanwhile. */
  onStart: (values: LoginPrefill) => void;
  onDone: (accountId: string) => void;
  /** Absent when there is no account to go back to. */
  onCancel?: (() => void) | undefined;
}

type Phase = { kind: 'idle' } | { kind: 'submitting' } | { kind: 'waiting'; accountId: string };
type Field = 'jid' | 'password' | 'server';

export function LoginScreen({ prefill, accounts, put, onStart, onDone, onCancel }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [jid, setJid] = useState(prefill?.jid ?? '');
  const [password, setPassword] = useState('');
  const [server, setServer] = useState(prefill?.server ?? '');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [problem, setProblem] = useState<{ field?: Field; message: string } | null>(null);
  const refs = {
    jid: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    server: useRef<HTMLInputElement>(null),
  };

  const waitingFor = phase.kind === 'waiting' ? accounts.find((a) => a.id === phase.accountId) : undefined;
  const waitStatus = waitingFor?.status;
  const busy = phase.kind === 'submitting' || waitStatus === 'connecting';
  const error =
    waitStatus === 'error' || waitStatus === 'offline'
      ? { message: waitingFor?.error?.message ?? t.signInFailed }
      : problem;

  const passwordRef = refs.password;
  useEffect(() => {
    if (phase.kind !== 'waiting') return;
    if (waitStatus === 'online') onDone(phase.accountId);
    else if (waitStatus === 'error' || waitStatus === 'offline') passwordRef.current?.select();
  }, [phase, waitStatus, onDone, passwordRef]);

  /** Show a problem and put the cursor where it can be fixed; `mark` flags the field as invalid. */
  const fail = (message: string, field: Field, mark = true): void => {
    setProblem(mark ? { field, message } : { message });
    setPhase({ kind: 'idle' });
    // After the re-render that re-enables the form.
    requestAnimationFrame(() => refs[field].current?.select());
  };

  const submit = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (busy) return;
    if (jid.trim() === '') {
      fail(t.addressRequired, 'jid');
      return;
    }
    if (!BareJid.safeParse(jid).success) {
      fail(t.addressInvalid, 'jid');
      return;
    }
    if (password === '') {
      fail(t.passwordRequired, 'password');
      return;
    }
    if (!ServerOverride.safeParse(server).success) {
      fail(t.serverInvalid, 'server');
      return;
    }
    setProblem(null);
    setPhase({ kind: 'submitting' });
    onStart({ jid: jid.trim(), server: server.trim() });
    const input = server.trim() === '' ? { jid, password } : { jid, password, server };
    client.call('account.signIn', input).then(
      (account) => {
        put(account);
        setPhase({ kind: 'waiting', accountId: account.id });
      },
      (err: unknown) => {
        fail(errorText(err, t), 'password', false);
      },
    );
  };

  const invalid = (field: Field): boolean => error !== null && 'field' in error && error.field === field;
  const described = (field: Field, extra?: string): string | undefined =>
    [extra, invalid(field) ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <main className="login">
      <div className="login-card">
        <Logo />
        <h1>{t.signInTitle}</h1>
        <p className="muted">{t.signInLead}</p>
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <label htmlFor={`${id}-jid`}>{t.address}</label>
          <input
            id={`${id}-jid`}
            ref={refs.jid}
            type="text"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            placeholder={t.addressPlaceholder}
            value={jid}
            onChange={(e) => {
              setJid(e.target.value);
            }}
            aria-invalid={invalid('jid')}
            aria-describedby={described('jid')}
            readOnly={busy}
            autoFocus={jid === ''}
          />
          <label htmlFor={`${id}-password`}>{t.password}</label>
          <input
            id={`${id}-password`}
            ref={refs.password}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
            }}
            aria-invalid={invalid('password')}
            aria-describedby={described('password')}
            readOnly={busy}
            autoFocus={jid !== ''}
          />
          <label htmlFor={`${id}-server`}>{t.server}</label>
          <input
            id={`${id}-server`}
            ref={refs.server}
            type="text"
            autoCapitalize="none"
            spellCheck={false}
            placeholder={t.serverPlaceholder}
            value={server}
            onChange={(e) => {
              setServer(e.target.value);
            }}
            aria-invalid={invalid('server')}
            aria-describedby={described('server', `${id}-server-hint`)}
            readOnly={busy}
          />
          <p id={`${id}-server-hint`} className="hint">
            {t.serverHint}
          </p>
          <div id={`${id}-error`} className="form-error" role="alert">
            {error?.message}
          </div>
          <div className="form-actions">
            {busy && (
              <span className="connecting" role="status">
                <Spinner /> {t.signingIn}
              </span>
            )}
            {onCancel !== undefined && (
              <button type="button" className="button secondary" onClick={onCancel} disabled={busy}>
                {t.cancel}
              </button>
            )}
            <button type="submit" className="button primary" disabled={busy}>
              {t.signIn}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
