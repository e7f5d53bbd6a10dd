import { describe, expect, it } from 'vitest';
import { route, routeTable, type Route } from '../../../central/http/routes.js';

/** Central's route table: method + path pattern, first match wins, parameters decoded in one place. */
const handler = async () => ({ status: 200, body: null });
const routes: Route[] = [
  route({ method: 'POST', path: '/v1/cases/by-applicant', handle: handler }),
  route({ method: 'GET', path: '/v1/cases/:ref', handle: handler }),
  route({ method: 'GET', path: '/v1/catalog', handle: handler }),
];
const match = routeTable(routes);

describe('routeTable', () => {
  it('matches by method and literal path', () => {
    expect(match('GET', '/v1/catalog')?.route).toBe(routes[2]);
    expect(match('POST', '/v1/cases/by-applicant')?.route).toBe(routes[0]);
    expect(match('POST', '/v1/catalog')).toBeNull();
    expect(match('GET', '/v1/catalogue')).toBeNull();
  });

  it('gives a parameter one whole segment, percent-decoded', () => {
    expect(match('GET', '/v1/cases/TA-1-20260302-0001')).toEqual({ route: routes[1], params: { ref: 'TA-1-20260302-0001' } });
    expect(match('GET', '/v1/cases/%E5%8F%97%2F1')?.params).toEqual({ ref: '受/1' });
    expect(match('GET', '/v1/cases/by-applicant')?.params).toEqual({ ref: 'by-applicant' });
  });

  it('matches no empty parameter and no extra segment', () => {
    expect(match('GET', '/v1/cases/')).toBeNull();
    expect(match('GET', '/v1/cases/a/b')).toBeNull();
    expect(match('GET', '/v1/catalog/')).toBeNull();
  });

  it('throws URIError on a malformed escape, for the HTTP core to answer', () => {
    expect(() => match('GET', '/v1/cases/%E0')).toThrow(URIError);
  });
});
