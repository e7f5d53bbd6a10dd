import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in in front of the reference central that answers one route itself (a 400, a 404, a malformed
 * 201 …) and forwards everything else, so a test can see what the kiosk does with answers the reference
 * central never gives. It listens before central starts; `central.port` is filled in once central is up.
 */
export interface CentralStandIn {
  url: string;
  central: { port: number };
  close(): Promise<void>;
}

export async function startCentralStandIn(route: { method: string; path: string }, answer: { status: number; body: string }): Promise<CentralStandIn> {
  const central = { port: 0 };
  const server: Server = createServer((request, response) => {
    if (request.method === route.method && request.url === route.path) {
      request.resume();
      request.on('end', () => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
      return;
    }
    const upstream = httpRequest({ host: '127.0.0.1', port: central.port, method: request.method, path: request.url, headers: request.headers }, (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    central,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
