/** Renderer entry: pick the transport, then mount the app (language and theme follow the settings). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createAppClient } from './app/client.ts';
import { CoreProvider } from './app/core.ts';
import { createTransport } from './app/transport.ts';
import { SettingsProvider } from './features/settings/SettingsProvider.tsx';

const transport = createTransport();
const core = { transport, client: createAppClient(transport) };

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <CoreProvider value={core}>
      <SettingsProvider>
        <App />
      </SettingsProvider>
    </CoreProvider>
  </StrictMode>,
);
