import { CENTRAL_PATHS, ProfileRequest, SharedDataCheckBody } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import { route, type Route } from '../http/routes.js';

/**
 * Identity and population data (人口库): the shared profile a form is prefilled from, and the check of
 * shared-data materials against it. 人证核验 and other identity services join this module.
 */
export function identityRoutes({ store, catalog }: CentralContext): Route[] {
  const services = new Map(catalog.services.map((service) => [service.id, service]));
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
  ];
}
