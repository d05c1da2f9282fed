/** Renderer entry: pick language and transport, then mount the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createAppClient } from './app/client.ts';
import { CoreProvider } from './app/core.ts';
import { createTransport } from './app/transport.ts';
import { createI18n, I18nProvider, pickLanguage } from './i18n/index.ts';

const i18n = createI18n(pickLanguage(new URLSearchParams(location.search).get('lang'), navigator.language));
document.documentElement.lang = i18n.lang;
document.title = i18n.t.appName;

const transport = createTransport();
const core = { transport, client: createAppClient(transport) };

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <I18nProvider value={i18n}>
      <CoreProvider value={core}>
        <App />
      </CoreProvider>
    </I18nProvider>
  </StrictMode>,
);
