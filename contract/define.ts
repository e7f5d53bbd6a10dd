import type { z } from 'zod';

/** One request/response channel between the UI and the host. */
export interface ChannelDefinition<Request extends z.ZodType = z.ZodType, Response extends z.ZodType = z.ZodType> {
  request: Request;
  response: Response;
  /** Who may call it: any screen, or only after staff/technician sign-in (checked by the host). */
  audience: 'citizen' | 'staff' | 'technician' | 'demo';
}

export function channel<Request extends z.ZodType, Response extends z.ZodType>(
  request: Request,
  response: Response,
  audience: ChannelDefinition['audience'] = 'citizen',
): ChannelDefinition<Request, Response> {
  return { request, response, audience };
}

/** `device:get-status` → `deviceGetStatus`: the method name the UI calls. */
type KebabToCamel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<KebabToCamel<Tail>>}` : S;
export type MethodName<Name extends string> = Name extends `${infer Domain}:${infer Verb}` ? `${Domain}${Capitalize<KebabToCamel<Verb>>}` : never;

export function methodName<Name extends string>(name: Name): MethodName<Name> {
  const [domain, verb = ''] = name.split(':');
  const camel = verb.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return `${domain}${camel.charAt(0).toUpperCase()}${camel.slice(1)}` as MethodName<Name>;
}
