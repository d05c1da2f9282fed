/**
 * Subscription requests as notices: incoming ones with "Accept" (which also asks for their
 * presence), "Deny" and "Block"; our own pending ones with "Cancel request".
 */
import { useState, type ReactNode } from 'react';
import type { SubscriptionRequest } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { useI18n } from '../../i18n/index.ts';
import { useSubscriptionRequests } from './useOwn.ts';

export function SubscriptionNotices({ accountIds }: { accountIds: readonly string[] }): ReactNode {
  const requests = useSubscriptionRequests(accountIds);
  if (requests.length === 0) return null;
  return (
    <section className="subscription-notices" aria-label={useI18n().t.subscriptionRequests}>
      {requests.map((r) => (
        <Notice key={`${r.accountId}\n${r.jid}\n${r.direction}`} request={r} />
      ))}
    </section>
  );
}

function Notice({ request }: { request: SubscriptionRequest }): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const who = request.nick ? `${request.nick} (${request.jid})` : request.jid;
  const run = (work: () => Promise<unknown>): void => {
    setBusy(true);
    setError(null);
    work().then(
      () => {
        setBusy(false);
      },
      (err: unknown) => {
        setError(errorText(err, t));
        setBusy(false);
      },
    );
  };
  const answer = (action: 'approve' | 'deny' | 'cancel') => () => {
    run(() => client.call('subscription.answer', { accountId: request.accountId, jid: request.jid, action }));
  };
  return (
    <div className="notice subscription-notice" role="group" aria-label={who}>
      <p>{request.direction === 'in' ? t.wantsToSee(who) : t.waitingFor(who)}</p>
      {request.message && <p className="hint">{request.message}</p>}
      <div className="notice-actions">
        {request.direction === 'in' ? (
          <>
            <button type="button" className="button primary" disabled={busy} onClick={answer('approve')}>
              {t.accept}
            </button>
            <button type="button" className="button secondary" disabled={busy} onClick={answer('deny')}>
              {t.deny}
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={() => {
                run(async () => {
                  await client.call('subscription.answer', {
                    accountId: request.accountId,
                    jid: request.jid,
                    action: 'deny',
                  });
                  await client.call('blocklist.block', { accountId: request.accountId, jid: request.jid });
                });
              }}
            >
              {t.block}
            </button>
          </>
        ) : (
          <button type="button" className="button secondary" disabled={busy} onClick={answer('cancel')}>
            {t.cancelRequest}
          </button>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
