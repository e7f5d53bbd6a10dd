import { describe, expect, it } from 'vitest';
import { CentralSignal, KioskSignal, nextVideoCallState, parseSignal, StaffSignal, VIDEO_SIGNAL_MAX_BYTES, type VideoCallState } from '../../../contract/video-call.js';
import { iceServersFor, VideoConfig } from '../../../central/video/ice-servers.js';
import { createHmac } from 'node:crypto';

const callId = '6f1c2a9e-4b1d-4c55-9a57-1f5e1c8f0a11';

describe('video signalling messages', () => {
  it('parses each side’s messages and refuses the other side’s', () => {
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'start', callId, terminalId: 'TA-0001' }))).toEqual({ ok: true, message: { type: 'start', callId, terminalId: 'TA-0001' } });
    expect(parseSignal(KioskSignal, JSON.stringify({ type: 'consent', callId, accepted: false })).ok).toBe(true);
    // Only staff highlight, only kiosks consent or send their screen.
    expect(parseSignal(KioskSignal, JSON.stringify({ type: 'highlight', callId, controlId: 'next' }))).toEqual({ ok: false, reason: 'not-a-signal' });
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'consent', callId, accepted: true }))).toEqual({ ok: false, reason: 'not-a-signal' });
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'screen-state', callId, state: {} }))).toEqual({ ok: false, reason: 'not-a-signal' });
  });

  it('refuses text that is no JSON, too large, unknown keys, bad ids and unbounded parts', () => {
    expect(parseSignal(StaffSignal, '{')).toEqual({ ok: false, reason: 'not-json' });
    expect(parseSignal(StaffSignal, ' '.repeat(VIDEO_SIGNAL_MAX_BYTES + 1))).toEqual({ ok: false, reason: 'too-large' });
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'hang-up', callId, extra: 1 })).ok).toBe(false);
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'hang-up', callId: 'short' })).ok).toBe(false);
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'hang-up', callId: `${callId}/../x` })).ok).toBe(false);
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'highlight', callId, controlId: '"];alert(1)//' })).ok).toBe(false);
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'description', callId, description: { type: 'pranswer', sdp: 'v=0' } })).ok).toBe(false);
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'description', callId, description: { type: 'offer', sdp: 'x'.repeat(48_001) } })).ok).toBe(false);
    expect(parseSignal(StaffSignal, JSON.stringify({ type: 'candidate', callId, candidate: { candidate: 'c', sdpMLineIndex: -1 } })).ok).toBe(false);
    const state = { screen: 'form', title: '', service: null, step: null, fields: [], controls: Array.from({ length: 121 }, (_, index) => ({ id: `c${index}`, label: 'x' })), valuesShared: false };
    expect(parseSignal(KioskSignal, JSON.stringify({ type: 'screen-state', callId, state })).ok).toBe(false);
    expect(parseSignal(KioskSignal, JSON.stringify({ type: 'screen-state', callId, state: { ...state, controls: [] } })).ok).toBe(true);
  });

  it('accepts only stun:, turn: and turns: servers from central', () => {
    expect(CentralSignal.safeParse({ type: 'ready', iceServers: [{ urls: ['stun:stun.example:3478'] }] }).success).toBe(true);
    expect(CentralSignal.safeParse({ type: 'ready', iceServers: [{ urls: ['https://evil.example/'] }] }).success).toBe(false);
  });
});

describe('the video call state machine', () => {
  const idle: VideoCallState = { phase: 'idle' };

  it('goes idle → asking → connecting → connected → ended on a consented call', () => {
    let state = nextVideoCallState(idle, { type: 'start', callId });
    expect(state).toEqual({ phase: 'asking', callId });
    state = nextVideoCallState(state, { type: 'consent', callId, accepted: true });
    expect(state).toEqual({ phase: 'connecting', callId });
    state = nextVideoCallState(state, { type: 'media-connected', callId });
    expect(state).toEqual({ phase: 'connected', callId });
    state = nextVideoCallState(state, { type: 'ended', callId, reason: 'hang-up' });
    expect(state).toEqual({ phase: 'ended', callId, reason: 'hang-up' });
  });

  it('ends a refused call as refused and never reaches connecting', () => {
    const asking = nextVideoCallState(idle, { type: 'start', callId });
    const refused = nextVideoCallState(asking, { type: 'consent', callId, accepted: false });
    expect(refused).toEqual({ phase: 'ended', callId, reason: 'refused' });
    expect(nextVideoCallState(refused, { type: 'media-connected', callId })).toBe(refused);
    expect(nextVideoCallState(refused, { type: 'consent', callId, accepted: true })).toBe(refused);
  });

  it('ignores events of another call, a second consent, media before consent, and a start while a call runs', () => {
    const asking = nextVideoCallState(idle, { type: 'start', callId });
    expect(nextVideoCallState(asking, { type: 'media-connected', callId })).toBe(asking);
    expect(nextVideoCallState(asking, { type: 'consent', callId: 'another-call-id', accepted: true })).toBe(asking);
    expect(nextVideoCallState(asking, { type: 'ended', callId: 'another-call-id', reason: 'hang-up' })).toBe(asking);
    expect(nextVideoCallState(asking, { type: 'start', callId: 'another-call-id' })).toBe(asking);
    const connecting = nextVideoCallState(asking, { type: 'consent', callId, accepted: true });
    expect(nextVideoCallState(connecting, { type: 'consent', callId, accepted: false })).toBe(connecting);
    expect(nextVideoCallState(idle, { type: 'ended', callId, reason: 'hang-up' })).toBe(idle);
  });

  it('starts a new call after one ended', () => {
    const ended: VideoCallState = { phase: 'ended', callId, reason: 'disconnected' };
    expect(nextVideoCallState(ended, { type: 'start', callId: 'next-call-0001' })).toEqual({ phase: 'asking', callId: 'next-call-0001' });
  });
});

describe('ICE servers from central’s configuration', () => {
  it('mints coturn REST credentials: username expiry:label, password HMAC-SHA1 of it with the shared secret', () => {
    const config = VideoConfig.parse({ stun: ['stun:a.example:3478'], turn: { urls: ['turns:t.example:5349'], sharedSecret: 'shared-secret-0123456789', ttlSeconds: 600 } });
    const servers = iceServersFor(config, Date.parse('2026-12-01T10:00:00Z'), 'TA 0001/x');
    const expiry = Date.parse('2026-12-01T10:00:00Z') / 1000 + 600;
    expect(servers).toEqual([
      { urls: ['stun:a.example:3478'] },
      { urls: ['turns:t.example:5349'], username: `${expiry}:TA0001x`, credential: createHmac('sha1', 'shared-secret-0123456789').update(`${expiry}:TA0001x`).digest('base64') },
    ]);
  });

  it('has none by default (one LAN) and refuses a short secret or a non-TURN URL', () => {
    expect(iceServersFor(VideoConfig.parse({}), 0, 'x')).toEqual([]);
    expect(VideoConfig.safeParse({ turn: { urls: ['turn:t.example'], sharedSecret: 'short' } }).success).toBe(false);
    expect(VideoConfig.safeParse({ stun: ['http://t.example'] }).success).toBe(false);
  });
});
