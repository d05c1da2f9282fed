/**
 * The account's lists and the server's services: blocked contacts (XEP-0191), the user
 * directory (XEP-0055) and gateways to other networks (XEP-0100, registration by XEP-0077).
 */
import { useEffect, useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import type { CommandOutput, FormField, GatewayInfo } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { AddContactDialog } from './AddContactDialog.tsx';
import { FormFields } from './FormFields.tsx';
import { useBlocklist } from './useOwn.ts';

function useAction(): {
  busy: boolean;
  error: string | null;
  run: <T>(work: () => Promise<T>, done?: (value: T) => void) => void;
} {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    run(work, done) {
      setBusy(true);
      setError(null);
      work().then(
        (value) => {
          setBusy(false);
          done?.(value);
        },
        (err: unknown) => {
          setError(errorText(err, t));
          setBusy(false);
        },
      );
    },
  };
}

export function BlockedDialog({ accountId, onClose }: { accountId: string; onClose: () => void }): ReactNode {
  const { t } = useI18n();
  return (
    <Dialog title={t.blockedTitle} size="md" onClose={onClose}>
      <BlockedList accountId={accountId} onClose={onClose} />
    </Dialog>
  );
}

/** The blocked list and "Block" without a dialog around it (also in Settings > Privacy). */
export function BlockedList({ accountId, onClose }: { accountId: string; onClose?: () => void }): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const jids = useBlocklist(accountId);
  const [address, setAddress] = useState('');
  const { busy, error, run } = useAction();
  const block = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (!address.trim()) return;
    run(
      () => client.call('blocklist.block', { accountId, jid: address.trim() }),
      () => {
        setAddress('');
      },
    );
  };
  return (
    <>
      {jids === undefined ? (
        <Spinner />
      ) : jids.length === 0 ? (
        <p className="hint">{t.noneBlocked}</p>
      ) : (
        <ul className="plain-list" aria-label={t.blockedTitle}>
          {jids.map((jid) => (
            <li key={jid}>
              <span>{jid}</span>
              <button
                type="button"
                className="button secondary"
                disabled={busy}
                onClick={() => {
                  run(() => client.call('blocklist.unblock', { accountId, jid }));
                }}
              >
                {t.unblock}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={block}>
        <label htmlFor={`${id}-jid`}>{t.blockAddress}</label>
        <input
          id={`${id}-jid`}
          type="text"
          autoCapitalize="none"
          spellCheck={false}
          value={address}
          onChange={(e) => {
            setAddress(e.target.value);
          }}
        />
        <div className="form-error" role="alert">
          {error}
        </div>
        <div className="form-actions">
          {onClose !== undefined && (
            <button type="button" className="button secondary" onClick={onClose}>
              {t.close}
            </button>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {t.block}
          </button>
        </div>
      </form>
    </>
  );
}

type Results = CommandOutput<'directory.search'>;

export function DirectoryDialog({ accountId, onClose }: { accountId: string; onClose: () => void }): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [form, setForm] = useState<{ service: string; instructions?: string | undefined; fields: FormField[] } | null>(
    null,
  );
  const [values, setValues] = useState<Record<string, string>>({});
  const [results, setResults] = useState<Results | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  useEffect(() => {
    run(() => client.call('directory.form', { accountId }), setForm);
  }, [client, accountId]); // once per dialog
  const search = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (!form) return;
    run(() => client.call('directory.search', { accountId, service: form.service, values }), setResults);
  };
  return (
    <Dialog title={t.directoryTitle} size="lg" onClose={onClose}>
      {form === null && busy && <Spinner />}
      {form !== null && (
        <form className="form" onSubmit={search}>
          {form.instructions && <p className="hint">{form.instructions}</p>}
          <FormFields
            idPrefix={id}
            fields={form.fields}
            values={values}
            disabled={busy}
            onChange={(name, value) => {
              setValues((v) => ({ ...v, [name]: value }));
            }}
          />
          <div className="form-actions">
            {busy && (
              <span role="status">
                <Spinner /> {t.directorySearching}
              </span>
            )}
            <button type="submit" className="button primary" disabled={busy}>
              {t.search}
            </button>
          </div>
        </form>
      )}
      <div className="form-error" role="alert">
        {error}
      </div>
      {results !== null &&
        (results.rows.length === 0 ? (
          <p className="hint">{t.noResults}</p>
        ) : (
          <table className="directory-results">
            <thead>
              <tr>
                <th scope="col">{t.contactAddress}</th>
                {results.columns.map((c) => (
                  <th key={c.var} scope="col">
                    {c.label}
                  </th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {results.rows.map((row) => (
                <tr key={row.jid}>
                  <td>{row.jid}</td>
                  {results.columns.map((c) => (
                    <td key={c.var}>{row.values[c.var] ?? ''}</td>
                  ))}
                  <td>
                    <button
                      type="button"
                      className="button secondary"
                      aria-label={t.addThis(row.jid)}
                      onClick={() => {
                        setAdding(row.jid);
                      }}
                    >
                      {t.add}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {adding !== null && (
        <AddContactDialog
          accountId={accountId}
          initialAddress={adding}
          onClose={() => {
            setAdding(null);
          }}
        />
      )}
    </Dialog>
  );
}

export function GatewaysDialog({ accountId, onClose }: { accountId: string; onClose: () => void }): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [gateways, setGateways] = useState<GatewayInfo[] | null>(null);
  const [open, setOpen] = useState<{ jid: string; fields: FormField[]; instructions?: string | undefined } | null>(
    null,
  );
  const [values, setValues] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  const load = (): void => {
    run(() => client.call('gateways.list', { accountId }).then((r) => r.gateways), setGateways);
  };
  useEffect(load, [client, accountId]); // once per dialog
  return (
    <Dialog title={t.gatewaysTitle} size="md" onClose={onClose}>
      {gateways === null && busy && <Spinner />}
      {gateways?.length === 0 && <p className="hint">{t.noGateways}</p>}
      {gateways && gateways.length > 0 && (
        <ul className="plain-list">
          {gateways.map((g) => (
            <li key={g.jid}>
              <span>
                <strong>{g.name}</strong> <span className="hint">{g.jid}</span>
                {g.registered && ` · ${t.registered}`}
              </span>
              {g.registrable && !g.registered && (
                <button
                  type="button"
                  className="button secondary"
                  disabled={busy}
                  onClick={() => {
                    setValues({});
                    run(
                      () => client.call('gateway.form', { accountId, gateway: g.jid }),
                      (form) => {
                        setOpen({ jid: g.jid, ...form });
                      },
                    );
                  }}
                >
                  {t.register}
                </button>
              )}
              {g.registered && (
                <button
                  type="button"
                  className="button secondary"
                  disabled={busy}
                  onClick={() => {
                    run(() => client.call('gateway.unregister', { accountId, gateway: g.jid }), load);
                  }}
                >
                  {t.unregister}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {open !== null && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            run(
              () => client.call('gateway.register', { accountId, gateway: open.jid, values }),
              () => {
                setOpen(null);
                load();
              },
            );
          }}
        >
          {open.instructions && <p className="hint">{open.instructions}</p>}
          <FormFields
            idPrefix={id}
            fields={open.fields}
            values={values}
            disabled={busy}
            onChange={(name, value) => {
              setValues((v) => ({ ...v, [name]: value }));
            }}
          />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy}>
              {t.register}
            </button>
          </div>
        </form>
      )}
      <div className="form-error" role="alert">
        {error}
      </div>
    </Dialog>
  );
}
