import { CENTRAL_PATHS, IdentityCodeBody, IdentityCodeIssueBody, ProfileRequest, SharedDataCheckBody, type IdentityCodeAnswer } from '../../contract/central/api.js';
import { IdentityCodeSeal, identityCodeKey } from '../identity-code.js';
import { DEMO_POPULATION } from '../identity-population.js';
import type { CentralContext } from '../context.js';
import { HttpError, route, type Route } from '../http/routes.js';
import { PopulationCheckBody } from '../../contract/agency.js';
import { populationCheck } from '../agency.js';

/**
 * Identity and population data (人口库): the shared profile a form is prefilled from, and the check of
 * shared-data materials against it. 人证核验 and other identity services join this module.
 */
export function identityRoutes({ store, catalog, now, proofs }: CentralContext): Route[] {
  const services = new Map(catalog.services.map((service) => [service.id, service]));
  // Every central process of one deployment (config `workers`, or several hosts on one database) holds the
  // same seal key, so a code one process issued opens at any other; without a seal key, a process's own.
  const codes = new IdentityCodeSeal(now, proofs ? identityCodeKey(proofs.key.privateKey) : undefined);
  return [
    route({
      method: 'POST',
      // The ID number travels in the signed body, never in a URL that proxies and access logs keep.
      path: CENTRAL_PATHS.profile,
      body: ProfileRequest,
      async handle({ body }) {
        const profile = await store.profiles.find(body.idNumber);
        return { status: 200, body: { ...(profile?.mobile ? { mobile: profile.mobile } : {}), ...(profile?.address ? { address: profile.address } : {}) } };
      },
    }),
    route({
      method: 'POST',
      path: CENTRAL_PATHS.sharedData,
      body: SharedDataCheckBody,
      /**
       * 数据共享核验: the reference service stands in for the provincial data-sharing platform with its
       * population data. A person it holds has their shared-data materials verified; anyone else none (the
       * kiosk then asks for them another way). Only materials the catalog marks `shared-data` for that
       * service can be verified.
       */
      async handle({ body }) {
        const service = services.get(body.serviceId);
        if (!service || !(await store.profiles.find(body.idNumber))) return { status: 200, body: { verified: [] } };
        const shared = new Set(service.materials.filter((material) => material.source === 'shared-data').map((material) => material.id));
        return { status: 200, body: { verified: body.materialIds.filter((id) => shared.has(id)) } };
      },
    }),
    route({
      method: 'POST',
      path: CENTRAL_PATHS.identityCode,
      body: IdentityCodeBody,
      /**
       * 电子身份码 verification (issue 14): the code's seal and expiry (central/identity-code.ts), then the
       * person from the population. A code that opens but names nobody central knows is `invalid` too.
       */
      async handle({ body }) {
        const check = codes.verify(body.code);
        let answer: IdentityCodeAnswer;
        if (!check.ok) answer = { verified: false, reason: check.reason };
        else {
          const identity = DEMO_POPULATION.find((person) => person.idNumber === check.idNumber);
          answer = identity ? { verified: true, identity } : { verified: false, reason: 'invalid' };
        }
        return { status: 200, body: answer };
      },
    }),
    route({
      method: 'POST',
      path: CENTRAL_PATHS.identityCodeIssue,
      body: IdentityCodeIssueBody,
      /** Reference central only: what the 爱山东 app does on a citizen's phone, for demo mode and tests. */
      async handle({ body }) {
        const person = DEMO_POPULATION[body.person];
        if (!person) throw new HttpError(404, { code: 'unknown-person', message: '演示人口库中没有这个人' });
        return { status: 201, body: codes.issue(person.idNumber) };
      },
    }),
    route({
      method: 'POST',
      path: CENTRAL_PATHS.populationCheck,
      body: PopulationCheckBody,
      /** 代办 (issue 12): does the principal's ID number belong to a resident of this name (central/agency.ts)? */
      handle: async ({ body }) => ({ status: 200, body: populationCheck(body.idNumber, body.name) }),
    }),
  ];
}
