/**
 * The server's certificate, explained, with the user's decision about it.
 *
 * - untrusted: the details, a warning, "Trust this certificate" (pins its SHA-256
 *   fingerprint for this account; only on this click) and "Cancel".
 * - changed: a pinned certificate was replaced. A strong warning, the new
 *   certificate beside the old fingerprint, and no one-click trust: "Trust the new
 *   certificate…" asks again in a confirmation dialog that spells out the risk.
 */
import { useId, useState, type ReactNode } from 'react';
import type { AccountState, CertificateInfo } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Icons, Spinner } from '../../app/ui.tsx';
import { coreErrorText } from '../../i18n/errors.ts';
import { useI18n } from '../../i18n/index.ts';
import type { CertificateProblem } from './status.ts';

interface Props {
  account: AccountState;
  problem: CertificateProblem;
  /** The core accepted the pin; its answer (usually 'connecting' or 'online'). */
  onTrusted: (account: AccountState) => void;
  onCancel: () => void;
  /** Heading level inside its container. */
  level?: 2 | 3;
}

export function CertificatePanel({ account, problem, onTrusted, onCancel, level = 2 }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const certificate = account.error?.certificate;
  const Heading = level === 2 ? 'h2' : 'h3';

  const trust = (): void => {
    if (certificate === undefined) return;
    setBusy(true);
    setError(null);
    setConfirming(false);
    client
      .call('account.trustCertificate', { accountId: account.id, fingerprint256: certificate.fingerprint256 })
      .then(onTrusted, (err: unknown) => {
        setError(errorText(err, t));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <section className={`cert cert-${problem}`} aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`}>
      <Heading id={`${id}-title`} className="cert-title">
        <Icons.warning />
        {problem === 'changed' ? t.certChangedTitle : t.certUntrustedTitle}
      </Heading>
      <div id={`${id}-body`} className="cert-body">
        <p>{problem === 'changed' ? t.certChangedBody(account.jid) : t.certUntrustedBody(account.jid)}</p>
        {problem === 'changed' && <p className="cert-advice">{t.certChangedAdvice}</p>}
      </div>
      {certificate === undefined ? (
        <p className="muted small">{account.error === undefined ? '' : coreErrorText(account.error, t)}</p>
      ) : (
        <CertificateDetails
          certificate={certificate}
          pinned={problem === 'changed' ? account.pinnedCertificate : undefined}
        />
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        {busy && (
          <span className="connecting" role="status">
            <Spinner /> {t.statusConnecting}
          </span>
        )}
        <button type="button" className="button secondary" onClick={onCancel} disabled={busy}>
          {t.cancel}
        </button>
        {certificate !== undefined &&
          (problem === 'untrusted' ? (
            <button type="button" className="button primary" onClick={trust} disabled={busy}>
              {t.trustCertificate}
            </button>
          ) : (
            <button
              type="button"
              className="button danger-outline"
              onClick={() => {
                setConfirming(true);
              }}
              disabled={busy}
            >
              {t.trustNewCertificate}
            </button>
          ))}
      </div>
      {confirming && certificate !== undefined && (
        <Dialog
          title={t.trustNewConfirmTitle}
          tone="alert"
          size="sm"
          describedBy={`${id}-confirm`}
          onClose={() => {
            setConfirming(false);
          }}
        >
          <p id={`${id}-confirm`}>{t.trustNewConfirmBody}</p>
          <p className="small muted">{t.certFingerprint}</p>
          <Fingerprint value={certificate.fingerprint256} />
          <div className="form-actions">
            <button
              type="button"
              className="button secondary"
              data-autofocus
              onClick={() => {
                setConfirming(false);
              }}
            >
              {t.cancel}
            </button>
            <button type="button" className="button danger" onClick={trust}>
              {t.trustNewConfirm}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function CertificateDetails({
  certificate,
  pinned,
}: {
  certificate: CertificateInfo;
  pinned: string | undefined;
}): ReactNode {
  const { t, lang, dateTime } = useI18n();
  const date = (text: string): string => {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? text : dateTime(ms);
  };
  return (
    <dl className="cert-details">
      <dt>{t.certSubject}</dt>
      {/* The certificate's own names, as its issuer wrote them. */}
      <dd data-server-text>{certificate.subject}</dd>
      <dt>{t.certIssuer}</dt>
      <dd data-server-text>{certificate.issuer}</dd>
      <dt>{t.certValidFrom}</dt>
      <dd>{date(certificate.validFrom)}</dd>
      <dt>{t.certValidTo}</dt>
      <dd>{date(certificate.validTo)}</dd>
      <dt>{pinned === undefined ? t.certFingerprint : t.certNewFingerprint}</dt>
      <dd>
        <Fingerprint value={certificate.fingerprint256} />
      </dd>
      {pinned !== undefined && (
        <>
          <dt>{t.certPinned}</dt>
          <dd>
            <Fingerprint value={pinned} />
          </dd>
        </>
      )}
      <dt>{t.certReason}</dt>
      <dd>
        {/* The core's reason is English (OpenSSL's words): other languages say what kind of problem it is. */}
        {lang === 'en'
          ? certificate.reason
          : pinned === undefined
            ? t.errCertificateUntrusted
            : t.errCertificateChanged}
      </dd>
    </dl>
  );
}

/** "AB:CD:…" in lines of eight bytes; the text content stays the exact fingerprint. */
function Fingerprint({ value }: { value: string }): ReactNode {
  const bytes = value.split(':');
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) {
    const last = i + 8 >= bytes.length;
    lines.push(bytes.slice(i, i + 8).join(':') + (last ? '' : ':'));
  }
  return (
    <code className="fingerprint">
      {lines.map((line, i) => (
        <span key={i}>{line}</span>
      ))}
    </code>
  );
}
