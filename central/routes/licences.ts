import { createHash } from 'node:crypto';
import { CENTRAL_PATHS, LicenceLookupBody } from '../../contract/central/api.js';
import type { ELicence } from '../../contract/domain.js';
import type { CentralContext } from '../context.js';
import { route, type Route } from '../http/routes.js';

/**
 * E-licence look-ups (电子证照), for 材料免提交. With `demoLicences`, every holder has every licence
 * type the catalog asks for (with a stable id), so the demo runs end to end without a licence library.
 */
export function licenceRoutes({ store, catalog }: CentralContext, demoLicences = false): Route[] {
  /** Material names by licence type, from the catalog, so demo licences carry the right title. */
  const licenceTitles = new Map<string, string>();
  for (const service of catalog.services) {
    for (const material of service.materials) if (material.licenceType) licenceTitles.set(material.licenceType, material.name);
  }

  async function lookUp(idNumber: string, licenceType: string): Promise<ELicence[]> {
    const stored = await store.licences.find(idNumber, licenceType);
    if (stored.length > 0 || !demoLicences || !licenceTitles.has(licenceType)) return stored;
    const digest = createHash('sha256').update(`${idNumber}|${licenceType}`).digest('hex');
    return [
      {
        licenceId: `EL-${licenceType}-${digest.slice(0, 10)}`,
        licenceType,
        title: licenceTitles.get(licenceType) ?? licenceType,
        issuer: '泰安市电子证照库',
        issuedOn: '2020-06-01',
      },
    ];
  }

  return [
    route({
      method: 'POST',
      path: CENTRAL_PATHS.licences,
      body: LicenceLookupBody,
      handle: async ({ body }) => ({ status: 200, body: await lookUp(body.idNumber, body.licenceType) }),
    }),
  ];
}
