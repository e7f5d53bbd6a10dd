import { describe, expect, it, vi } from 'vitest';
import { channels, type ChannelName } from '../../../contract/channels.js';
import { channelNames, createDispatcher, deriveApi, eventNames, MESSAGES, type CallContext, type Handlers } from '../../../contract/derive.js';
import { methodName } from '../../../contract/define.js';
import { events } from '../../../contract/events.js';
import { fail, ok } from '../../../contract/result.js';

const citizen: CallContext = { audiences: new Set(['citizen']) };
const demo: CallContext = { audiences: new Set(['citizen', 'demo']) };

/** Handlers that fail loudly if reached: a dispatcher test proves which requests never get this far. */
function unreachableHandlers(): Handlers {
  return Object.fromEntries(channelNames.map((name) => [name, vi.fn(() => fail('unreachable', name))])) as unknown as Handlers;
}

describe('methodName', () => {
  it('turns domain:verb-noun into camelCase', () => {
    expect(methodName('device:list-status')).toBe('deviceListStatus');
    expect(methodName('kiosk:get-info')).toBe('kioskGetInfo');
    expect(methodName('application:submit')).toBe('applicationSubmit');
  });

  it('gives every channel a distinct method name', () => {
    const names = channelNames.map(methodName);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('deriveApi', () => {
  it('derives exactly one method per channel plus on()', () => {
    const api = deriveApi({ invoke: async () => ({ ok: true, value: {} }), subscribe: () => () => undefined });
    const methods = Object.keys(api).filter((key) => key !== 'on').sort();
    expect(methods).toEqual(channelNames.map(methodName).sort());
    expect(typeof api.on).toBe('function');
  });

  it('sends the channel name and request to the transport and parses the answer against the contract', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: { pending: 2, needsStaff: 0, online: false } }));
    const api = deriveApi({ invoke, subscribe: () => () => undefined });
    const result = await api.outboxGetDepth({});
    expect(invoke).toHaveBeenCalledWith('outbox:get-depth', {});
    expect(result).toEqual({ ok: true, value: { pending: 2, needsStaff: 0, online: false } });
  });

  it('turns an answer that breaks the response schema into a bad-response error', async () => {
    const api = deriveApi({ invoke: async () => ({ ok: true, value: { pending: 'many' } }), subscribe: () => () => undefined });
    const result = await api.outboxGetDepth({});
    expect(result).toEqual({ ok: false, error: { code: 'bad-response', message: MESSAGES.badResponse } });
  });

  it('passes error results through with their code and message', async () => {
    const api = deriveApi({ invoke: async () => fail('no-identity', '请先核验身份'), subscribe: () => () => undefined });
    expect(await api.sessionGet({})).toEqual({ ok: false, error: { code: 'no-identity', message: '请先核验身份' } });
  });

  it('reports a broken transport as bridge-down instead of throwing', async () => {
    const api = deriveApi({
      invoke: async () => {
        throw new Error('socket closed');
      },
      subscribe: () => () => undefined,
    });
    const result = await api.kioskGetInfo({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('bridge-down');
  });

  it('delivers only events whose payload matches the contract', () => {
    let deliver: (payload: unknown) => void = () => undefined;
    const api = deriveApi({
      invoke: async () => null,
      subscribe: (event, listener) => {
        expect(event).toBe('session:idle-warning');
        deliver = listener;
        return () => undefined;
      },
    });
    const seen: number[] = [];
    api.on('session:idle-warning', ({ secondsLeft }) => seen.push(secondsLeft));
    deliver({ secondsLeft: 25 });
    deliver({ secondsLeft: 'soon' });
    deliver(null);
    expect(seen).toEqual([25]);
  });

  it('refuses to subscribe to an event the contract does not define', () => {
    const api = deriveApi({ invoke: async () => null, subscribe: () => () => undefined });
    expect(() => api.on('device:explode' as never, () => undefined)).toThrow(/unknown event/);
  });

  it('lists every contract event', () => {
    expect(eventNames.sort()).toEqual(Object.keys(events).sort());
  });
});

describe('createDispatcher', () => {
  it('answers an unknown channel with a clear error and calls no handler', async () => {
    const handlers = unreachableHandlers();
    const dispatch = createDispatcher(handlers);
    expect(await dispatch('device:self-destruct', {}, citizen)).toEqual({ ok: false, error: { code: 'unknown-channel', message: MESSAGES.unknownChannel } });
    expect(await dispatch(42, {}, citizen)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    for (const name of channelNames) expect(handlers[name]).not.toHaveBeenCalled();
  });

  it.each([
    ['catalog:get-service', { serviceId: 7 }],
    ['catalog:get-service', { serviceId: 'x'.repeat(101) }],
    ['catalog:get-service', { serviceId: 'a', extra: true }],
    ['session:end', { reason: 'because' }],
    ['application:submit', { serviceId: 'senior-preferential-card' }],
    ['application:submit', { serviceId: 's', answers: {}, form: { a: { nested: 1 } }, materials: {} }],
    ['rating:submit', { caseRef: 'TA1', level: 'very-dissatisfied' }],
  ] as Array<[ChannelName, unknown]>)('rejects a malformed %s request before it reaches the service', async (name, request) => {
    const handlers = unreachableHandlers();
    const result = await createDispatcher(handlers)(name, request, citizen);
    expect(result).toEqual({ ok: false, error: { code: 'bad-request', message: MESSAGES.badRequest } });
    expect(handlers[name]).not.toHaveBeenCalled();
  });

  it('refuses text with an unpaired surrogate instead of passing it on to be stored as U+FFFD', async () => {
    const handlers = unreachableHandlers();
    const dispatch = createDispatcher(handlers);
    const request = { serviceId: 's', answers: {}, form: { name: '王\ud842' }, materials: {} };
    expect(await dispatch('application:submit', request, citizen)).toEqual({ ok: false, error: { code: 'bad-request', message: MESSAGES.badText } });
    expect(await dispatch('catalog:search', { query: 'a\udc00b' }, citizen)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(handlers['application:submit']).not.toHaveBeenCalled();
    // A character outside the BMP is a well-formed pair: 王𠮷 reaches the handler unchanged.
    handlers['catalog:search'] = vi.fn(() => ok([]));
    expect(await dispatch('catalog:search', { query: '王𠮷' }, citizen)).toMatchObject({ ok: true });
    expect(handlers['catalog:search']).toHaveBeenCalledWith(expect.objectContaining({ query: '王𠮷' }), citizen);
  });

  it('hands a valid, parsed request to its handler and returns its value', async () => {
    const handlers = unreachableHandlers();
    handlers['session:end'] = vi.fn(() => ok({ wiped: true }));
    const result = await createDispatcher(handlers)('session:end', { reason: 'cancelled' }, citizen);
    expect(result).toEqual({ ok: true, value: { wiped: true } });
    expect(handlers['session:end']).toHaveBeenCalledWith({ reason: 'cancelled' }, citizen);
  });

  it('applies schema defaults before the handler sees the request', async () => {
    const handlers = unreachableHandlers();
    handlers['catalog:search'] = vi.fn(() => ok([]));
    await createDispatcher(handlers)('catalog:search', { query: 'csyjs' }, citizen);
    expect(handlers['catalog:search']).toHaveBeenCalledWith({ query: 'csyjs', limit: 12 }, citizen);
  });

  it('keeps demo-only channels closed outside demo mode', async () => {
    const handlers = unreachableHandlers();
    handlers['simulator:remove-card'] = vi.fn(() => ok({ removed: true }));
    const dispatch = createDispatcher(handlers);
    expect(await dispatch('simulator:remove-card', {}, citizen)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers['simulator:remove-card']).not.toHaveBeenCalled();
    expect(await dispatch('simulator:remove-card', {}, demo)).toEqual({ ok: true, value: { removed: true } });
  });

  it('hides a handler crash behind a plain-Chinese internal error and reports it', async () => {
    const handlers = unreachableHandlers();
    handlers['outbox:get-depth'] = () => {
      throw new Error('disk on fire');
    };
    const onInternalError = vi.fn();
    const result = await createDispatcher(handlers, { onInternalError })('outbox:get-depth', {}, citizen);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: MESSAGES.internal } });
    expect(onInternalError).toHaveBeenCalledWith('outbox:get-depth', expect.any(Error));
  });

  it('refuses to pass on a handler answer that breaks the response schema', async () => {
    const handlers = unreachableHandlers();
    handlers['outbox:get-depth'] = () => ok({ pending: -1, needsStaff: 0, online: true });
    const result = await createDispatcher(handlers)('outbox:get-depth', {}, citizen);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('defines an audience for every channel', () => {
    for (const name of channelNames) expect(['citizen', 'staff', 'technician', 'demo']).toContain(channels[name].audience);
  });
});
