import { CENTRAL_PATHS } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import { route, type Route } from '../http/routes.js';

/** The service catalog (事项目录) every terminal runs its flows from. */
export function catalogRoutes({ catalog }: CentralContext): Route[] {
  return [route({ method: 'GET', path: CENTRAL_PATHS.catalog, handle: async () => ({ status: 200, body: catalog }) })];
}
