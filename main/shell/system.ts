/** Feeds the core the OS's resume-from-sleep and network-up events. */
import { net, powerMonitor } from 'electron';

export function watchSystem(wake: () => void): () => void {
  powerMonitor.on('resume', wake);
  powerMonitor.on('unlock-screen', wake);
  // Electron's main process has no "online" event: poll the cheap check and wake on a rise.
  let online = net.isOnline();
  const timer = setInterval(() => {
    const now = net.isOnline();
    if (now && !online) wake();
    online = now;
  }, 5000);
  return () => {
    clearInterval(timer);
    powerMonitor.removeListener('resume', wake);
    powerMonitor.removeListener('unlock-screen', wake);
  };
}
