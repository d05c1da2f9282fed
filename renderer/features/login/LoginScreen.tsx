/**
 * Sign-in form. Validates obvious mistakes with the contract's own schemas,
 * then calls `account.signIn`; the core is the authority. The call may answer
 * at once with status `connecting`: the form then waits for the account to
 * turn `online` (done) or to fail (its message is shown in the form's alert).
 *
 * A certificate the core cannot verify is not just an error here: the form
 * shows the certificate panel, and "Trust this certificate" pins it and
 * connects. "Create account" hands over to the registration screen.
 */
import { useEffect, useId, useRef, useState, type ReactNode, type SyntheticEvent } from 'react';
import { BareJid, ServerOverride, type AccountState } from '../../../preload/contract.ts';
import { RpcError } from '../../../preload/rpc.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Logo, RememberPasswordField, Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { coreErrorText } from '../../i18n/errors.ts';
import { CertificatePanel } from '../accounts/CertificatePanel.tsx';
import { certificateProblem } from '../accounts/status.ts';
import { RegisterScreen } from '../register/RegisterScreen.tsx';

export interface LoginPrefill {
  jid: string;
  server: string;
  rememberPassword?: boolean;
}

interface Props {
  prefill: LoginPrefill | null;
  accounts: readonly AccountState[];
  /** Merge the account state `account.signIn` returned. */
  put: (account: AccountState) => void;
  /** The form (or registration) must stay up until it settles, even if an account appears meanwhile. */
  onStart: (values: LoginPrefill) => void;
  onDone: (accountId: string) => void;
  /** Absent when there is no account to go back to. */
  onCancel?: (() => void) | undefined;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'submitting' }
  | { kind: 'waiting'; accountId: string }
  /** The server's certificate needs the user's decision (the account's state carries it). */
  | { kind: 'certificate'; jid: string };
type Field = 'jid' | 'password' | 'server';

const CERTIFICATE_CODES: ReadonlySet<string> = new Set(['certificate-untrusted', 'certificate-changed']);
const sameJid = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
/** Statuses that end a wait for "online" with a failure. */
const FAILED: ReadonlySet<string> = new Set(['error', 'offline', 'waiting', 'disabled']);

export function LoginScreen({ prefill, accounts, put, onStart, onDone, onCancel }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [jid, setJid] = useState(prefill?.jid ?? '');
  const [password, setPassword] = useState('');
  const [server, setServer] = useState(prefill?.server ?? '');
  const [remember, setRemember] = useState(prefill?.rememberPassword ?? false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [problem, setProblem] = useState<{ field?: Field; message: string } | null>(null);
  const [registering, setRegistering] = useState(false);
  const refs = {
    jid: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    server: useRef<HTMLInputElement>(null),
  };

  const waitingFor = phase.kind === 'waiting' ? accounts.find((a) => a.id === phase.accountId) : undefined;
  const waitStatus = waitingFor?.status;
  const certAccount = phase.kind === 'certificate' ? accounts.find((a) => sameJid(a.jid, phase.jid)) : undefined;
  const certProblem = certAccount === undefined ? null : certificateProblem(certAccount);
  const busy = phase.kind === 'submitting' || waitStatus === 'connecting';
  const error =
    waitingFor !== undefined && waitStatus !== undefined && FAILED.has(waitStatus)
      ? { message: waitingFor.error === undefined ? t.signInFailed : coreErrorText(waitingFor.error, t) }
      : problem;

  const passwordRef = refs.password;
  useEffect(() => {
    if (phase.kind !== 'waiting' || waitingFor === undefined) return;
    if (waitStatus === 'online') onDone(phase.accountId);
    else if (waitStatus === 'error' && certificateProblem(waitingFor) !== null) {
      setProblem({ message: waitingFor.error === undefined ? t.signInFailed : coreErrorText(waitingFor.error, t) });
      setPhase({ kind: 'certificate', jid: waitingFor.jid });
    } else if (waitStatus !== undefined && FAILED.has(waitStatus)) passwordRef.current?.select();
  }, [phase, waitStatus, waitingFor, onDone, passwordRef, t]);

  /** Show a problem and put the cursor where it can be fixed; `mark` flags the field as invalid. */
  const fail = (message: string, field: Field, mark = true): void => {
    setProblem(mark ? { field, message } : { message });
    setPhase({ kind: 'idle' });
    // After the re-render that re-enables the form.
    requestAnimationFrame(() => refs[field].current?.select());
  };

  const signIn = (): void => {
    setProblem(null);
    setPhase({ kind: 'submitting' });
    onStart({ jid: jid.trim(), server: server.trim(), rememberPassword: remember });
    const input = {
      jid,
      password,
      rememberPassword: remember,
      ...(server.trim() === '' ? {} : { server }),
    };
    client.call('account.signIn', input).then(
      (account) => {
        put(account);
        setPhase({ kind: 'waiting', accountId: account.id });
      },
      (err: unknown) => {
        if (err instanceof RpcError && CERTIFICATE_CODES.has(err.code)) {
          setProblem({ message: coreErrorText(err, t) });
          setPhase({ kind: 'certificate', jid: jid.trim() });
          return;
        }
        fail(errorText(err, t), 'password', false);
      },
    );
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
    signIn();
  };

  /** The pin is set: the core connects if it still holds the password, else sign in again with it. */
  const trusted = (account: AccountState): void => {
    put(account);
    if (account.status === 'online') onDone(account.id);
    else if (account.status === 'connecting') setPhase({ kind: 'waiting', accountId: account.id });
    else signIn();
  };

  if (registering) {
    return (
      <RegisterScreen
        onDone={(account) => {
          put(account);
          onDone(account.id);
        }}
        onCancel={() => {
          setRegistering(false);
        }}
      />
    );
  }

  const invalid = (field: Field): boolean => error !== null && 'field' in error && error.field === field;
  const described = (field: Field, extra?: string): string | undefined =>
    [extra, invalid(field) ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const deciding = certAccount !== undefined && certProblem !== null;

  return (
    <main className="login">
      <div className={deciding ? 'login-card wide' : 'login-card'}>
        <Logo />
        <h1>{t.signInTitle}</h1>
        <p className="muted">{t.signInLead}</p>
        {deciding ? (
          <>
            <div className="form-error" role="alert">
              {error?.message}
            </div>
            <CertificatePanel
              account={certAccount}
              problem={certProblem}
              onTrusted={trusted}
              onCancel={() => {
                setPhase({ kind: 'idle' });
              }}
            />
          </>
        ) : (
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
            <RememberPasswordField id={id} checked={remember} onChange={setRemember} disabled={busy} t={t} />
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
        )}
        <p className="login-alt">
          <span className="muted">{t.noAccountYet}</span>
          <button
            type="button"
            className="button link"
            onClick={() => {
              // Hold this screen: the new account appears (account.state) before registration ends.
              onStart({ jid: jid.trim(), server: server.trim(), rememberPassword: remember });
              setRegistering(true);
            }}
            disabled={busy}
          >
            {t.createAccount}
          </button>
        </p>
      </div>
    </main>
  );
}
