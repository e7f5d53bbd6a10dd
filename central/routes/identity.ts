import { CENTRAL_PATHS, ProfileRequest } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import { route, type Route } from '../http/routes.js';

/**
 * Identity and population data (人口库): the shared profile a form is prefilled from. 人证核验 and
 * other identity services join this module.
 */
export function identityRoutes({ store }: CentralContext): Route[] {
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
  ];
}
