/**
 * Top level: which screen shows (sign-in while there is no account or one is being
 * added, else the main view), and the notice when the core is out of reach.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { LoginScreen, type LoginPrefill } from '../features/login/LoginScreen.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from './client.ts';
import { useLink } from './core.ts';
import { MainView } from './MainView.tsx';
import { SettingsButton } from '../features/settings/SettingsButton.tsx';
import { SettingsDialog } from '../features/settings/SettingsDialog.tsx';
import { Icons, Logo, Spinner } from './ui.tsx';
import { useActivity } from './useActivity.ts';
import { secondsUntil, useNow } from './useNow.ts';
import { useSnapshot } from './useSnapshot.ts';

export function App(): ReactNode {
  const link = useLink();
  const { accounts, error, put, remove, reload } = useSnapshot();
  const [login, setLogin] = useState<LoginPrefill | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const closeLogin = useCallback(() => {
    setLogin(null);
    reload();
  }, [reload]);
  const down = link.kind === 'closed' || (link.kind === 'connecting' && link.retrying);
  useActivity();

  let screen: ReactNode;
  if (accounts === undefined) {
    screen = <Splash error={error} />;
  } else if (login !== null || accounts.length === 0) {
    screen = (
      <LoginScreen
        prefill={login}
        accounts={accounts}
        put={put}
        onStart={setLogin}
        onDone={closeLogin}
        onCancel={accounts.length === 0 ? undefined : closeLogin}
      />
    );
    screen = (
      <>
        <div className="login-settings">
          <SettingsButton
            withText
            onOpen={() => {
              setSettingsOpen(true);
            }}
          />
        </div>
        {screen}
      </>
    );
  } else {
    screen = (
      <MainView
        accounts={accounts}
        put={put}
        onRemoved={remove}
        onAddAccount={() => {
          setLogin({ jid: '', server: '' });
        }}
        onSignIn={(account) => {
          setLogin({ jid: account.jid, server: account.server, rememberPassword: account.rememberPassword });
        }}
        onOpenSettings={() => {
          setSettingsOpen(true);
        }}
      />
    );
  }

  return (
    <>
      <div className="app" inert={down}>
        {screen}
        {settingsOpen && accounts !== undefined && (
          <SettingsDialog
            accounts={accounts}
            put={put}
            onRemoved={remove}
            onAddAccount={() => {
              setSettingsOpen(false);
              setLogin({ jid: '', server: '' });
            }}
            onSignIn={(account) => {
              setSettingsOpen(false);
              setLogin({ jid: account.jid, server: account.server, rememberPassword: account.rememberPassword });
            }}
            onClose={() => {
              setSettingsOpen(false);
            }}
          />
        )}
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
  const now = useNow(link.kind === 'closed');
  const seconds = link.kind === 'closed' ? secondsUntil(link.retryAt, now) : 0;
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
