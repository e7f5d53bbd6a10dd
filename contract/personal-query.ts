import type { IdentityAssurance } from './identity-assurance.js';

/**
 * 办件查询 by ID card (读卡查询) is a personal query: it lists every case of the card's holder, so it goes
 * through 请确认是本人办理 as an application does (issue 14, "人证核验 before an application or a personal
 * query"). Its level lives in the catalog, on the `query` service with this id
 * (catalog/services/case-progress-query.json); the host refuses `case:list-mine` until the session's check
 * satisfies it, the renderer shows the check screen for that service first.
 */
export const CASE_QUERY_SERVICE_ID = 'case-progress-query';

/**
 * The level used when the catalog has no such service (a trimmed catalog): the check is asked for all
 * the same, since a card alone does not show that the person at the screen is its holder.
 */
export const CASE_QUERY_DEFAULT_ASSURANCE: IdentityAssurance = 'card+face-or-staff';
