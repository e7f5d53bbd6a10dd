import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { IceServer } from '../../contract/video-call.js';

/**
 * STUN/TURN for 远程视频帮办, from central's configuration (`video` key). On one hall LAN the browsers
 * reach each other directly (host candidates) and need nothing; a hall behind NAT needs STUN, and a
 * network that blocks UDP between kiosk and staff PCs needs a TURN relay (coturn, README). TURN
 * credentials are never configured on kiosks or consoles: central mints short-lived ones per connection
 * with coturn's shared secret (coturn `use-auth-secret` / `static-auth-secret`, the "TURN REST API"
 * draft-uberti-behave-turn-rest-00: username `<expiry unix seconds>:<label>`, password
 * base64(HMAC-SHA1(secret, username))).
 */
export const VideoConfig = z
  .object({
    /** `stun:host:port` URLs; empty: none (one LAN). */
    stun: z.array(z.string().regex(/^stun:[^\s]{1,200}$/)).max(4).default([]),
    /** A coturn relay with its shared secret, or null. */
    turn: z
      .object({
        urls: z.array(z.string().regex(/^turns?:[^\s]{1,200}$/)).min(1).max(4),
        /** coturn's `static-auth-secret` (at least 16 characters). */
        sharedSecret: z.string().min(16).max(256),
        /** How long a minted credential holds, seconds (default 1 hour: a call's length with room). */
        ttlSeconds: z.number().int().min(60).max(86_400).default(3600),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type VideoConfig = z.infer<typeof VideoConfig>;
export type VideoConfigInput = z.input<typeof VideoConfig>;

/** The `RTCIceServer` list for one connection, at `nowMs`, labelled `label` (a terminal id or 工号). */
export function iceServersFor(config: VideoConfig, nowMs: number, label: string): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stun.length > 0) servers.push({ urls: config.stun });
  if (config.turn) {
    const username = `${Math.floor(nowMs / 1000) + config.turn.ttlSeconds}:${label.replace(/[^A-Za-z0-9_.-]/g, '')}`;
    const credential = createHmac('sha1', config.turn.sharedSecret).update(username).digest('base64');
    servers.push({ urls: config.turn.urls, username, credential });
  }
  return servers;
}
