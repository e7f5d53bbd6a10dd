import { channels, isChannelName, type ChannelName, type ChannelRequest, type ChannelRequestParsed, type ChannelResponse } from './channels.js';
import { methodName, type ChannelDefinition, type MethodName } from './define.js';
import { events, isEventName, type EventName, type EventPayload } from './events.js';
import { fail, ok, type Result } from './result.js';
import { findIllFormedText } from './unicode.js';

/** What the host knows about the caller of one request. */
export interface CallContext {
  /** Audiences this caller is allowed (citizen always; demo only in demo mode; staff/technician after sign-in). */
  audiences: ReadonlySet<ChannelDefinition['audience']>;
}

export type Handler<Name extends ChannelName> = (
  request: ChannelRequestParsed<Name>,
  context: CallContext,
) => Promise<Result<ChannelResponse<Name>>> | Result<ChannelResponse<Name>>;

export type Handlers = { [Name in ChannelName]: Handler<Name> };

export const MESSAGES = {
  unknownChannel: '终端程序版本不一致，请联系工作人员',
  badRequest: '提交的内容格式不正确，请返回上一步重新操作',
  badText: '填写的内容中有无法识别的字符，请删除后重新输入',
  forbidden: '该功能需要工作人员登录后使用',
  internal: '系统暂时出现问题，请稍后重试或联系工作人员',
  badResponse: '终端内部通信异常，请重试；如仍不行请联系工作人员',
} as const;

export interface DispatcherOptions {
  /** Called with programming errors (handler threw, response broke its schema); never with personal data. */
  onInternalError?: (channel: ChannelName, error: unknown) => void;
}

/**
 * The host side of the bridge: parses every request against its channel's schema before any service
 * sees it, and every response before the UI sees it.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}) {
  return async function dispatch(name: unknown, request: unknown, context: CallContext): Promise<Result<unknown>> {
    if (!isChannelName(name)) return fail('unknown-channel', MESSAGES.unknownChannel);
    const definition: ChannelDefinition = channels[name];
    if (!context.audiences.has(definition.audience)) return fail('forbidden', MESSAGES.forbidden);
    // A name with an unpaired surrogate would be stored and printed as U+FFFD: refuse it, never alter it.
    if (findIllFormedText(request) !== null) return fail('bad-request', MESSAGES.badText);
    const parsed = definition.request.safeParse(request ?? {});
    if (!parsed.success) return fail('bad-request', MESSAGES.badRequest);
    let result: Result<unknown>;
    try {
      const handler = handlers[name] as (request: unknown, context: CallContext) => Promise<Result<unknown>> | Result<unknown>;
      result = await handler(parsed.data, context);
    } catch (error) {
      options.onInternalError?.(name, error);
      return fail('internal', MESSAGES.internal);
    }
    if (!result.ok) return result;
    const checked = definition.response.safeParse(result.value);
    if (!checked.success) {
      options.onInternalError?.(name, checked.error);
      return fail('internal', MESSAGES.internal);
    }
    return ok(checked.data);
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** Moves requests and events; knows nothing of their meaning (IPC in Electron, WebSocket in the browser). */
export interface BridgeTransport {
  invoke(channel: ChannelName, request: unknown): Promise<unknown>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export type KioskApi = {
  [Name in ChannelName as MethodName<Name>]: (request: ChannelRequest<Name>) => Promise<Result<ChannelResponse<Name>>>;
} & {
  on<Name extends EventName>(event: Name, listener: (payload: EventPayload<Name>) => void): () => void;
};

function parseEnvelope(definition: ChannelDefinition, raw: unknown): Result<unknown> {
  if (typeof raw === 'object' && raw !== null && 'ok' in raw) {
    if (raw.ok === true && 'value' in raw) {
      const value = definition.response.safeParse(raw.value);
      return value.success ? ok(value.data) : fail('bad-response', MESSAGES.badResponse);
    }
    if (raw.ok === false && 'error' in raw && typeof raw.error === 'object' && raw.error !== null) {
      const { code, message } = raw.error as Record<string, unknown>;
      if (typeof code === 'string' && typeof message === 'string') return fail(code, message);
    }
  }
  return fail('bad-response', MESSAGES.badResponse);
}

/** The UI side: one named method per channel, responses and events parsed against the contract. */
export function deriveApi(transport: BridgeTransport): KioskApi {
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(channels) as ChannelName[]) {
    const definition: ChannelDefinition = channels[name];
    api[methodName(name)] = async (request: unknown) => {
      try {
        return parseEnvelope(definition, await transport.invoke(name, request));
      } catch {
        return fail('bridge-down', '终端正在重新连接，请稍候再试');
      }
    };
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
    return transport.subscribe(event, (payload) => {
      const parsed = events[event].safeParse(payload);
      if (parsed.success) listener(parsed.data);
    });
  };
  return api as KioskApi;
}

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];
