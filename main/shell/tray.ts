/**
 * The core's TrayPort on Electron (issue 7): the tray icon (its variant shows presence and
 * unread), its tooltip and menu from the core's model, the dock/launcher badge (macOS,
 * Unity) and the taskbar overlay (Windows). Menu clicks go back to the core as actions.
 */
import { app, Menu, nativeImage, Tray, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayModel, TrayPort } from '../core/attention/ports.ts';
import { trayBitmap } from './desktop-pure.ts';

const SIZE = 32;

function icon(model: Pick<TrayModel, 'presence' | 'unread'>, size = SIZE) {
  return nativeImage.createFromBitmap(trayBitmap(model.presence, model.unread > 0, size), {
    width: size,
    height: size,
  });
}

export interface ElectronTray extends TrayPort {
  destroy(): void;
}

export function createElectronTray(
  onAction: (action: TrayAction) => void,
  window: () => BrowserWindow | null,
): ElectronTray {
  let tray: Tray | undefined;
  return {
    update(model: TrayModel) {
      const image = icon(model);
      if (!tray) {
        tray = new Tray(image);
        tray.on('click', () => {
          onAction('open');
        });
      } else tray.setImage(image);
      tray.setToolTip(model.tooltip);
      const template: MenuItemConstructorOptions[] = model.menu.map((item) =>
        item.type === 'separator'
          ? { type: 'separator' }
          : {
              type: item.type === 'radio' ? 'radio' : 'normal',
              label: item.label,
              ...(item.type === 'radio' ? { checked: item.checked } : {}),
              click: () => {
                onAction(item.action);
              },
            },
      );
      tray.setContextMenu(Menu.buildFromTemplate(template));
      app.setBadgeCount(model.unread); // macOS dock, Linux Unity launchers; ignored elsewhere
      const win = window();
      if (process.platform === 'win32' && win)
        win.setOverlayIcon(model.unread > 0 ? icon(model, 16) : null, model.unread > 0 ? model.tooltip : '');
    },
    destroy() {
      tray?.destroy();
      tray = undefined;
    },
  };
}
