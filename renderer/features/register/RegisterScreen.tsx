/**
 * "Create account" (XEP-0077 in-band registration). Two steps: the user names
 * a server (and, rarely, the host to reach it at); the core opens a session
 * and returns the server's form; the user fills it in and registers. On
 * success the core has added the account and signed it in.
 *
 * Everything the server sends (labels, instructions, option names) is
 * untrusted: it is shown as React text only. The CAPTCHA image arrives as a
 * data: URI the core has checked (a raster image under 64 KiB) and is checked
 * again here before it becomes an <img>.
 */
import { useEffect, useId, useRef, useState, type ReactNode, type SyntheticEvent } from 'react';
import { ServerOverride, type AccountState, type FormField, type RegistrationForm } from '../../../preload/contract.ts';
import { RpcError } from '../../../preload/rpc.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Logo, Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { fieldLabel, useRegisterText, type RegisterMessages } from './i18n.ts';

export interface RegisterScreenProps {
  /** The account was created on the server, added here and signed in. */
  onDone: (account: AccountState) => void;
  onCancel: () => void;
}

type Busy = 'fetching' | 'registering' | null;
interface Problem {
  message: string;
  /** Index of the field to mark and focus; -1 for the server step's Server field, -2 for Host. */
  field?: number;
}

const SERVER_FIELD = -1;
const HOST_FIELD = -2;
/** What the core may send as a CAPTCHA image: base64 raster images only (never SVG). */
const SAFE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/u;
const DOMAIN = /^[^\s@/\\<>"'&:]+$/u;
/** Errors that say the host could not be reached (rather than what the server answered). */
const UNREACHABLE: ReadonlySet<string> = new Set([
  'connection-refused',
  'dns-failed',
  'timeout',
  'network',
  'tls-failed',
  'certificate-untrusted',
  'certificate-changed',
]);

const truthy = (v: string | undefined): boolean => v === 'true' || v === '1';
const answerable = (f: FormField): boolean => f.type !== 'fixed' && f.type !== 'hidden';

/** Starting values: what the user typed before (a refreshed form), else the server's defaults. */
function initialValues(form: RegistrationForm, kept: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of form.fields) {
    if (!answerable(field)) continue;
    const previous = field.media === undefined && Object.hasOwn(kept, field.var) ? kept[field.var] : undefined;
    const start = previous ?? field.value ?? '';
    values[field.var] = field.type === 'boolean' ? String(truthy(start)) : start;
  }
  return values;
}

export function RegisterScreen({ onDone, onCancel }: RegisterScreenProps): ReactNode {
  const { t } = useI18n();
  const r = useRegisterText();
  const client = useClient();
  const id = useId();
  const [domain, setDomain] = useState('');
  const [host, setHost] = useState('');
  const [form, setForm] = useState<RegistrationForm | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const serverRef = useRef<HTMLInputElement>(null);
  const hostRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  /** The open session, for cancelling it when we leave. */
  const session = useRef<string | null>(null);

  const cancelSession = (): void => {
    const open = session.current;
    session.current = null;
    if (open !== null) client.call('register.cancel', { sessionId: open }).catch(() => undefined);
  };

  // Leaving the screen ends the session with the server.
  useEffect(
    () => () => {
      const open = session.current;
      session.current = null;
      if (open !== null) client.call('register.cancel', { sessionId: open }).catch(() => undefined);
    },
    [client],
  );

  /** Puts the cursor in field `index` (of the form, or the server step's fields) after the next render. */
  const focusField = (index: number | undefined): void => {
    requestAnimationFrame(() => {
      if (index === SERVER_FIELD) serverRef.current?.select();
      else if (index === HOST_FIELD) hostRef.current?.select();
      else if (index !== undefined)
        formRef.current?.querySelector<HTMLElement>(`[data-field="${String(index)}"]`)?.focus();
    });
  };

  const fail = (message: string, field?: number): void => {
    setProblem(field === undefined ? { message } : { message, field });
    setBusy(null);
    focusField(field);
  };

  /**
   * Asks the server for its form; `kept` carries the user's answers over to a fresh form,
   * `focusVar` names the field to put the cursor in (else the CAPTCHA, else the first).
   */
  const fetchForm = (
    kept: Readonly<Record<string, string>> = {},
    keepNotice: string | null = null,
    focusVar?: string,
  ): void => {
    setBusy('fetching');
    const server = host.trim();
    client.call('register.fetchForm', { domain: domain.trim(), ...(server === '' ? {} : { server }) }).then(
      (fetched) => {
        cancelSession();
        session.current = fetched.sessionId;
        setForm(fetched);
        setValues(initialValues(fetched, kept));
        setNotice(keepNotice);
        setBusy(null);
        const wanted = focusVar === undefined ? -1 : fetched.fields.findIndex((f) => f.var === focusVar);
        const captcha = fetched.fields.findIndex((f) => f.media !== undefined);
        focusField(
          wanted >= 0 ? wanted : keepNotice !== null && captcha >= 0 ? captcha : fetched.fields.findIndex(answerable),
        );
      },
      (err: unknown) => {
        if (form !== null) {
          fail(errorText(err, t));
          return;
        }
        // Could not reach it: with a Host given, that is what to check; otherwise the server's name.
        const code = err instanceof RpcError ? err.code : undefined;
        const unreachable = code !== undefined && UNREACHABLE.has(code);
        fail(errorText(err, t), unreachable && server !== '' ? HOST_FIELD : SERVER_FIELD);
      },
    );
  };

  const start = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (busy !== null) return;
    const name = domain.trim();
    if (name === '') {
      fail(r.serverRequired, SERVER_FIELD);
      return;
    }
    if (!DOMAIN.test(name)) {
      fail(r.serverInvalid, SERVER_FIELD);
      return;
    }
    if (!ServerOverride.safeParse(host).success) {
      fail(r.hostInvalid, HOST_FIELD);
      return;
    }
    setProblem(null);
    fetchForm();
  };

  const register = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (busy !== null || form === null) return;
    const missing = form.fields.findIndex(
      (f) => answerable(f) && f.required && f.type !== 'boolean' && (values[f.var] ?? '').trim() === '',
    );
    const missingField = form.fields[missing];
    if (missingField !== undefined) {
      fail(r.fieldRequired(fieldLabel(missingField, r)), missing);
      return;
    }
    setProblem(null);
    setNotice(null);
    setBusy('registering');
    const answers = Object.fromEntries(form.fields.filter(answerable).map((f) => [f.var, values[f.var] ?? '']));
    client.call('register.submit', { sessionId: form.sessionId, values: answers, rememberPassword: remember }).then(
      (account) => {
        session.current = null; // the core ended it
        onDone(account);
      },
      (err: unknown) => {
        const code = err instanceof RpcError ? err.code : undefined;
        const message = errorText(err, t);
        if (code === 'not-found') {
          // The session expired (five minutes): a fresh form, with the answers kept.
          setProblem(null);
          fetchForm(values, r.formExpired);
          return;
        }
        const username = form.fields.findIndex((f) => f.var === 'username');
        const onField = code === 'registration-conflict' && username >= 0 ? username : undefined;
        if (form.fields.some((f) => f.media !== undefined) && code !== 'not-connected') {
          // A CAPTCHA is good for one attempt: ask for a new one, keeping the other answers.
          setProblem(onField === undefined ? { message } : { message, field: onField });
          fetchForm(values, r.newCaptcha, onField === undefined ? undefined : 'username');
          return;
        }
        fail(message, onField);
      },
    );
  };

  const back = (): void => {
    cancelSession();
    setForm(null);
    setProblem(null);
    setNotice(null);
    focusField(SERVER_FIELD);
  };

  const cancel = (): void => {
    cancelSession();
    onCancel();
  };

  const errorId = `${id}-error`;
  const invalid = (index: number): boolean => problem?.field === index;
  const describe = (index: number, ...ids: (string | undefined)[]): string | undefined =>
    [...ids, invalid(index) ? errorId : undefined].filter(Boolean).join(' ') || undefined;

  const actions = (submitLabel: string, onBack: (() => void) | undefined): ReactNode => (
    <>
      <div id={errorId} className="form-error" role="alert">
        {problem?.message}
      </div>
      <div className="form-actions">
        {busy !== null && (
          <span className="connecting" role="status">
            <Spinner /> {busy === 'fetching' ? r.fetching : r.registering}
          </span>
        )}
        {onBack !== undefined && (
          <button type="button" className="button secondary" onClick={onBack} disabled={busy !== null}>
            {r.back}
          </button>
        )}
        <button type="button" className="button secondary" onClick={cancel} disabled={busy === 'registering'}>
          {r.cancel}
        </button>
        <button type="submit" className="button primary" disabled={busy !== null}>
          {submitLabel}
        </button>
      </div>
    </>
  );

  return (
    <main className="login">
      <div className="login-card">
        <Logo />
        <h1>{r.title}</h1>
        {form === null ? (
          <>
            <p className="muted">{r.lead}</p>
            <form onSubmit={start} noValidate aria-busy={busy !== null}>
              <label htmlFor={`${id}-server`}>{r.server}</label>
              <input
                id={`${id}-server`}
                ref={serverRef}
                type="text"
                autoCapitalize="none"
                autoComplete="off"
                spellCheck={false}
                placeholder={r.serverPlaceholder}
                value={domain}
                onChange={(e) => {
                  setDomain(e.target.value);
                }}
                aria-invalid={invalid(SERVER_FIELD)}
                aria-describedby={describe(SERVER_FIELD, `${id}-server-hint`)}
                readOnly={busy !== null}
                autoFocus
              />
              <p id={`${id}-server-hint`} className="hint">
                {r.serverHint}
              </p>
              <label htmlFor={`${id}-host`}>{r.host}</label>
              <input
                id={`${id}-host`}
                ref={hostRef}
                type="text"
                autoCapitalize="none"
                autoComplete="off"
                spellCheck={false}
                placeholder={r.hostPlaceholder}
                value={host}
                onChange={(e) => {
                  setHost(e.target.value);
                }}
                aria-invalid={invalid(HOST_FIELD)}
                aria-describedby={describe(HOST_FIELD, `${id}-host-hint`)}
                readOnly={busy !== null}
              />
              <p id={`${id}-host-hint`} className="hint">
                {r.hostHint}
              </p>
              {actions(r.continue, undefined)}
            </form>
          </>
        ) : (
          <>
            <p className="muted">{r.formLead(form.domain)}</p>
            {form.instructions !== undefined && (
              <div className="hint" id={`${id}-instructions`} data-server-text>
                <span className="visually-hidden">{r.serverSays} </span>
                {form.instructions.split('\n').map((line, i) => (
                  <p key={i}>{line}</p>
                ))}
              </div>
            )}
            <form ref={formRef} onSubmit={register} noValidate aria-busy={busy !== null}>
              {form.fields.map((field, index) => (
                <Field
                  key={`${String(index)}:${field.var}`}
                  field={field}
                  index={index}
                  inputId={`${id}-f${String(index)}`}
                  value={values[field.var] ?? ''}
                  onChange={(value) => {
                    setValues((v) => ({ ...v, [field.var]: value }));
                  }}
                  invalid={invalid(index)}
                  describe={(...ids) => describe(index, ...ids)}
                  readOnly={busy !== null}
                  domain={form.domain}
                  r={r}
                />
              ))}
              <label className="check">
                <input
                  type="checkbox"
                  checked={remember}
                  onChange={(e) => {
                    setRemember(e.target.checked);
                  }}
                  disabled={busy !== null}
                />
                <span>{r.rememberPassword}</span>
              </label>
              {notice !== null && (
                <p className="hint" role="status">
                  {notice}
                </p>
              )}
              {actions(r.register, back)}
            </form>
          </>
        )}
      </div>
    </main>
  );
}

interface FieldProps {
  field: FormField;
  index: number;
  inputId: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  describe: (...ids: (string | undefined)[]) => string | undefined;
  readOnly: boolean;
  domain: string;
  r: RegisterMessages;
}

/** One field of the server's form, labelled with the server's label (or its name). */
function Field({
  field,
  index,
  inputId,
  value,
  onChange,
  invalid,
  describe,
  readOnly,
  domain,
  r,
}: FieldProps): ReactNode {
  if (field.type === 'hidden') return null;
  if (field.type === 'fixed') {
    const text =
      field.value !== undefined && field.value !== field.label ? `${field.label} ${field.value}` : field.label;
    return (
      <p className="hint" data-server-text>
        {text}
      </p>
    );
  }
  // Parley's own labels in the user's language; the server's own words (marked) as it wrote them.
  const shown = fieldLabel(field, r);
  const common = {
    id: inputId,
    'data-field': index,
    'aria-invalid': invalid,
    'aria-required': field.required,
  };

  if (field.type === 'boolean') {
    return (
      <label className="check">
        <input
          {...common}
          type="checkbox"
          checked={truthy(value)}
          onChange={(e) => {
            onChange(String(e.target.checked));
          }}
          disabled={readOnly}
          aria-describedby={describe()}
        />
        <span data-server-text={shown === field.label ? '' : undefined}>{shown}</span>
      </label>
    );
  }

  const label = (
    <label htmlFor={inputId} data-server-text={shown === field.label ? '' : undefined}>
      {shown}
    </label>
  );
  if (field.type === 'list-single' || field.type === 'list-multi') {
    const multi = field.type === 'list-multi';
    return (
      <>
        {label}
        <select
          {...common}
          multiple={multi}
          value={multi ? value.split('\n').filter(Boolean) : value}
          onChange={(e) => {
            onChange(multi ? [...e.target.selectedOptions].map((o) => o.value).join('\n') : e.target.value);
          }}
          disabled={readOnly}
          aria-describedby={describe()}
        >
          {!multi && !field.required && <option value="" />}
          {(field.options ?? []).map((o, i) => (
            <option key={`${String(i)}:${o.value}`} value={o.value} data-server-text>
              {o.label}
            </option>
          ))}
        </select>
      </>
    );
  }

  if (field.type === 'text-multi') {
    return (
      <>
        {label}
        <textarea
          {...common}
          rows={3}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
          }}
          readOnly={readOnly}
          aria-describedby={describe()}
        />
      </>
    );
  }

  const media = field.media !== undefined && SAFE_IMAGE.test(field.media) ? field.media : undefined;
  const isUser = field.var === 'username';
  const hintId =
    media !== undefined ? `${inputId}-captcha` : isUser && value.trim() !== '' ? `${inputId}-address` : undefined;
  return (
    <>
      {label}
      {media !== undefined && <img className="captcha" src={media} alt={r.captcha} />}
      <input
        {...common}
        type={field.type === 'text-private' ? 'password' : field.var === 'email' ? 'email' : 'text'}
        autoComplete={
          field.type === 'text-private' ? 'new-password' : isUser ? 'username' : field.var === 'email' ? 'email' : 'off'
        }
        autoCapitalize="none"
        spellCheck={false}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        readOnly={readOnly}
        aria-describedby={describe(hintId)}
      />
      {media !== undefined && (
        <p id={hintId} className="hint">
          {r.captchaHint}
        </p>
      )}
      {isUser && value.trim() !== '' && (
        <p id={hintId} className="hint">
          {r.addressPreview(`${value.trim().toLowerCase()}@${domain}`)}
        </p>
      )}
    </>
  );
}
