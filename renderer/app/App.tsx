/** Top level: which screen shows, and the notice when the core is out of reach. */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { LoginScreen, type LoginPrefill } from '../features/login/LoginScreen.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from './client.ts';
import { useLink } from './core.ts';
import { MainView } from './MainView.tsx';
import { Icons, Logo, Spinner } from './ui.tsx';
import { useSnapshot } from './useSnapshot.ts';

export function App(): ReactNode {
  const link = useLink();
  const { accounts, error, put } = useSnapshot();
  const [login, setLogin] = useState<LoginPrefill | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const onDone = useCallback((accountId: string) => {
    setActiveId(accountId);
    setLogin(null);
  }, []);
  const down = link.kind === 'closed' || (link.kind === 'connecting' && link.retrying);

  let screen: ReactNode;
  if (accounts === undefined) {
    screen = <Splash error={error} />;
  } else {
    const active = accounts.find((a) => a.id === activeId) ?? accounts[0];
    screen =
      login !== null || active === undefined ? (
        <LoginScreen
          prefill={login}
          accounts={accounts}
          put={put}
          onStart={setLogin}
          onDone={onDone}
          onCancel={
            active === undefined
              ? undefined
              : () => {
                  setLogin(null);
                }
          }
        />
      ) : (
        <MainView
          account={active}
          accounts={accounts}
          onSwitch={setActiveId}
          onSignIn={() => {
            setLogin({ jid: active.jid, server: active.server });
          }}
          put={put}
        />
      );
  }

  return (
    <>
      <div className="app" inert={down}>
        {screen}
      </div>
      {down && <Disconnected link={link} />}
    </>
  );
}

function Splash({ error }: { error: unknown }): ReactNode {
  const { t } = useI18n();
  return (
    <main className="splash">
      <Logo />
      {error === undefined ? (
        <p role="status">
          <Spinner /> {t.connectingToCore}
        </p>
      ) : (
        <p role="alert">{errorText(error, t)}</p>
      )}
    </main>
  );
}

function Disconnected({ link }: { link: ReturnType<typeof useLink> }): ReactNode {
  const { t } = useI18n();
  const seconds = useCountdown(link.kind === 'closed' ? link.retryAt : null);
  return (
    <div
      className="overlay"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="disconnected-title"
      aria-describedby="disconnected-body"
    >
      <div className="overlay-card">
        <Icons.plug />
        <h1 id="disconnected-title">{t.disconnectedTitle}</h1>
        <p id="disconnected-body">{t.disconnectedBody}</p>
        {window.parley === undefined && <p className="muted small">{t.disconnectedTokenHint}</p>}
        <p className="muted small" role="status">
          {link.kind === 'closed' ? t.retryingIn(seconds) : t.reconnecting}
        </p>
        <button
          type="button"
          className="button primary"
          onClick={link.retry}
          disabled={link.kind !== 'closed'}
          autoFocus
        >
          {t.retry}
        </button>
      </div>
    </div>
  );
}

/** Whole seconds until `at`, ticking once a second. */
function useCountdown(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}
