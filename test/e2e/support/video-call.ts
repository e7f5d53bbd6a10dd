import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { HELP_CALL_PATHS, HelpCall } from '../../../contract/help-call.js';
import { centralSecret, type KioskConfig } from '../../../host/config.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { signInToConsole } from '../../support/console-client.js';

/**
 * What the video-help e2e test and bench need beyond taps: an accepted help call to start video on (filed
 * as the demo kiosk, signed like its host does, and accepted by a staff member at central), and a look
 * into each page's media — how often getUserMedia was called, every stream it gave, every peer
 * connection and its decoded frames — installed in the page before the call starts.
 */

/** Files a help call as the demo terminal and accepts it as staff 0001; answers its id. */
export async function acceptedHelpCall(config: KioskConfig, centralUrl: string): Promise<string> {
  const client = new CentralClient({ baseUrl: centralUrl, key: { keyId: config.central.keyId, secret: centralSecret(config), algorithm: config.central.algorithm }, timeoutMs: 5_000 });
  const id = randomUUID();
  const filed = await client.call('POST', HELP_CALL_PATHS.file, HelpCall, { id, screen: 'home', serviceId: null, createdAt: new Date().toISOString() }, { idempotencyKey: id });
  if (filed.kind !== 'ok') throw new Error(`help call not filed: ${JSON.stringify(filed)}`);
  const staff = await signInToConsole(centralUrl, '0001', '246810');
  const accepted = await staff.call('POST', HELP_CALL_PATHS.consoleAccept(id), {});
  if (accepted.status !== 200) throw new Error(`help call not accepted: ${accepted.status}`);
  return id;
}

/** Media as the page used it. */
export interface MediaLook {
  /** getUserMedia calls so far. */
  calls: number;
  /** Tracks of every stream getUserMedia gave, and of every peer connection's receivers: their readyState. */
  trackStates: string[];
  /** Each peer connection's state. */
  connections: string[];
  /** Video frames decoded so far, summed over every peer connection (getStats inbound-rtp). */
  framesDecoded: number;
}

/**
 * Wraps getUserMedia and RTCPeerConnection in the page so the test can count and look; the app's calls
 * are unchanged. Page code as text: this file is type-checked for Node, which has no DOM.
 */
export async function watchMedia(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const look = { calls: 0, streams: [], connections: [] };
    window.__videoLook = look;
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      look.calls++;
      const stream = await original(constraints);
      look.streams.push(stream);
      return stream;
    };
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
      constructor(configuration) {
        super(configuration);
        look.connections.push(this);
      }
    };
  })()`);
}

/** What the page's media look like now. */
export function lookAtMedia(page: Page): Promise<MediaLook> {
  return page.evaluate<MediaLook>(`(async () => {
    const look = window.__videoLook;
    let framesDecoded = 0;
    for (const connection of look.connections) {
      if (connection.connectionState === 'closed') continue;
      (await connection.getStats()).forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') framesDecoded += report.framesDecoded ?? 0;
      });
    }
    const tracks = [...look.streams.flatMap((stream) => stream.getTracks()), ...look.connections.flatMap((connection) => connection.getReceivers().map((receiver) => receiver.track))];
    return { calls: look.calls, trackStates: tracks.map((track) => track.readyState), connections: look.connections.map((connection) => connection.connectionState), framesDecoded };
  })()`);
}
