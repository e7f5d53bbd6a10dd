import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { deriveApi } from '../contract/derive.js';
import { isEventName } from '../contract/events.js';
import { IPC_EVENT, IPC_INVOKE } from './ipc-names.js';

/**
 * The preload exposes `window.kiosk`: exactly the methods derived from the contract (one per channel,
 * plus `on` for the contract's events). ipcRenderer itself never reaches the page.
 */
const api = deriveApi({
  invoke: (channel, request) => ipcRenderer.invoke(IPC_INVOKE, channel, request),
  subscribe: (event, listener) => {
    if (!isEventName(event)) throw new Error('unknown event');
    const handler = (_: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
});

contextBridge.exposeInMainWorld('kiosk', api);
