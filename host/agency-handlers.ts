import { agencyRefusal, PopulationCheckAnswer } from '../contract/agency.js';
import { CENTRAL_PATHS } from '../contract/central/api.js';
import type { Handlers } from '../contract/derive.js';
import { fail, ok } from '../contract/result.js';
import { maskIdNumber, maskName, parseIdNumber } from '../contract/validators/gb11643.js';
import type { CatalogService } from './services/catalog.js';
import type { CentralClient } from './services/central-client.js';
import type { Logger } from './services/log.js';
import type { SessionService } from './services/session.js';

/** The 代办 channels (issue 12), handled here (host/main.ts spreads them into the handlers). */
export type AgencyChannel = 'agency:begin' | 'agency:check-principal' | 'agency:set' | 'agency:clear' | 'agency:await-card';

export interface AgencyServices {
  session: Pick<SessionService, 'current' | 'view' | 'beginAgency' | 'awaitPrincipalCard' | 'setPrincipal' | 'setAuthorisation' | 'clearAgency' | 'finished'>;
  catalog: Pick<CatalogService, 'service'>;
  client: Pick<CentralClient, 'call'>;
  log: Logger;
}

/** How long the agent waits for central's population check, ms (a look-up, like the profile prefill). */
const POPULATION_CHECK_TIMEOUT_MS = 8_000;

const AGENCY_WORDS = {
  noAgent: '请代办人先将本人的身份证放在读卡区',
  noService: '没有找到该事项，请返回重新选择',
  idNumber: '身份证号码不正确，请核对委托人身份证上的号码后重新输入',
  self: '委托人不能是代办人本人。如为本人办理，请点“返回”选择“本人办理”',
  noMatch: '身份证号码与姓名不一致，或人口库中没有这个人。请核对委托人的身份证后重新输入，或请工作人员协助',
  unreachable: '暂时无法核验委托人身份，请稍后再试，或到人工窗口办理',
  noPrincipal: '请先输入委托人的身份证号码和姓名',
  authorisation: '本事项不接受这种授权方式，请按屏幕提示提供授权',
  finished: '本次申请已提交。如需再办理，请点“结束办理”后重新开始',
} as const;

/**
 * `agency:begin` (the agent chose 代办 for a service: refused with the catalog's reason for 本人办理 services),
 * `agency:check-principal` (ID number + name at central's 人口库; the principal is set only on a match), `agency:set` (relationship + 委托书 photo or 告知承诺 signature, of a kind the service
 * accepts), `agency:clear` (back to 本人办理). Logs carry pseudonyms and kinds, never a name or a number.
 */
export function createAgencyHandlers({ session, catalog, client, log }: AgencyServices): Pick<Handlers, AgencyChannel> {
  const serviceOf = () => {
    const id = session.current()?.serviceId;
    return id ? catalog.service(id) : null;
  };
  return {
    'agency:begin': async () => {
      const service = serviceOf();
      if (!service) return fail('unknown-service', AGENCY_WORDS.noService);
      const refusal = agencyRefusal(service);
      if (refusal) return fail('in-person-only', refusal);
      if (session.finished()) return fail('session-finished', AGENCY_WORDS.finished);
      if (!session.beginAgency()) return fail('no-identity', AGENCY_WORDS.noAgent);
      return ok({ authorisation: service.agentAuthorisation });
    },

    'agency:check-principal': async ({ idNumber, name }) => {
      const current = session.current();
      if (!current?.identity) return fail('no-identity', AGENCY_WORDS.noAgent);
      if (!current.agency) return fail('not-agency', AGENCY_WORDS.noAgent);
      const parsed = parseIdNumber(idNumber);
      if (!parsed.ok) return ok({ matched: false as const, message: AGENCY_WORDS.idNumber });
      if (parsed.value.idNumber === current.identity.idNumber) return ok({ matched: false as const, message: AGENCY_WORDS.self });
      const outcome = await client.call('POST', CENTRAL_PATHS.populationCheck, PopulationCheckAnswer, { idNumber: parsed.value.idNumber, name: name.trim() }, { timeoutMs: POPULATION_CHECK_TIMEOUT_MS });
      const pseudonym = log.pseudonym(parsed.value.idNumber);
      if (outcome.kind !== 'ok') {
        log.log('warn', 'agency.population-unreachable', { principal: pseudonym, outcome: outcome.kind, reason: outcome.reason });
        return fail('central-unavailable', AGENCY_WORDS.unreachable);
      }
      log.log('info', 'agency.population-check', { principal: pseudonym, matched: outcome.value.matched });
      if (!outcome.value.matched) return ok({ matched: false as const, message: AGENCY_WORDS.noMatch });
      const principal = outcome.value.identity;
      // Central answers for the number asked; anything else is not this principal.
      if (principal.idNumber !== parsed.value.idNumber) return fail('central-unavailable', AGENCY_WORDS.unreachable);
      session.setPrincipal(principal, 'population-check');
      return ok({ matched: true as const, nameMasked: maskName(principal.name), idMasked: maskIdNumber(principal.idNumber), identity: principal });
    },

    'agency:set': async ({ relationship, authorisation }) => {
      const service = serviceOf();
      if (!service) return fail('unknown-service', AGENCY_WORDS.noService);
      const refusal = agencyRefusal(service);
      if (refusal) return fail('in-person-only', refusal);
      if (!service.agentAuthorisation.includes(authorisation.kind)) return fail('invalid-authorisation', AGENCY_WORDS.authorisation);
      if (!session.setAuthorisation(relationship, authorisation)) return fail('no-principal', AGENCY_WORDS.noPrincipal);
      const view = session.view()?.agency;
      return view ? ok(view) : fail('no-principal', AGENCY_WORDS.noPrincipal);
    },

    'agency:await-card': async ({ awaiting }) => {
      if (!session.awaitPrincipalCard(awaiting)) return fail('not-agency', AGENCY_WORDS.noAgent);
      return ok({ awaiting });
    },

    'agency:clear': async () => {
      session.clearAgency();
      return ok({ cleared: true });
    },
  };
}
