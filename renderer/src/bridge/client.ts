import { deriveApi, type BridgeTransport, type KioskApi } from '../../../contract/derive.js';
import type { ChannelName } from '../../../contract/channels.js';
import type { EventName } from '../../../contract/events.js';

/**
 * The only door from the UI to the outside world. Under Electron the preload has already derived
 * `window.kiosk` from the contract; in the browser shell the same API is derived here over the
 * host's WebSocket, with the per-launch token the shell put in the URL fragment.
 */
declare global {
  interface Window {
    kiosk?: KioskApi;
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** WebSocket transport that reconnects by itself: the host may restart under the UI. */
export function webSocketTransport(url: string): BridgeTransport {
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;

  function connect(): Promise<WebSocket> {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('bridge connection failed'));
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const entry of pending.values()) entry.reject(new Error('bridge closed'));
        pending.clear();
        // Events must keep flowing (card reads, session end): reconnect after a short pause.
        setTimeout(() => void connect().catch(() => undefined), 1000);
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown; event?: EventName; payload?: unknown };
        if (typeof data.id === 'number') {
          pending.get(data.id)?.resolve(data.result);
          pending.delete(data.id);
        } else if (data.event) {
          for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
        }
      };
    });
    return ready;
  }

  return {
    async invoke(channel: ChannelName, request: unknown) {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, channel, request }));
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      void connect().catch(() => undefined);
      return () => set.delete(listener);
    },
  };
}

/** Reads the token from `#token=…` once and removes it from the address, so it is not shown or kept. */
function takeToken(): string {
  const match = /token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  const token = match?.[1] ?? sessionStorage.getItem('kiosk-bridge-token') ?? '';
  // sessionStorage survives a reload of this tab only; it holds no personal data.
  sessionStorage.setItem('kiosk-bridge-token', token);
  if (match) history.replaceState(null, '', window.location.pathname);
  return token;
}

let api: KioskApi | null = null;

export function kiosk(): KioskApi {
  if (api) return api;
  if (window.kiosk) {
    api = window.kiosk;
  } else {
    const url = `ws://${window.location.host}/bridge?token=${encodeURIComponent(takeToken())}`;
    api = deriveApi(webSocketTransport(url));
  }
  return api;
}
