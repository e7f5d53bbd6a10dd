import { CENTRAL_PATHS, IdentityCodeAnswer } from '../../contract/central/api.js';
import type { IdentityCard } from '../../contract/domain.js';
import type { CentralClient } from './central-client.js';
import type { Logger } from './log.js';

/**
 * 电子身份码 login (issue 14): a code the scanner classified as an identity code (drivers/protocols/
 * scan-classifier.ts) is verified at central (`POST /v1/identity/code`, signed as this terminal); the
 * identity central vouches for then enters the session exactly as a card's would (identitySource
 * `e-code`). The code's text is never logged (it is a bearer credential for five minutes).
 */
export type CodeVerification = { ok: true; identity: IdentityCard } | { ok: false; code: 'code-expired' | 'code-invalid' | 'central-unavailable'; message: string };

export const CODE_MESSAGES = {
  'code-expired': '这个电子身份码已过期。请在“爱山东”App 中刷新电子身份码，再对准扫码口；或将身份证放在读卡区。',
  'code-invalid': '这个电子身份码无法使用。请打开“爱山东”App 重新出示电子身份码；或将身份证放在读卡区。',
  'central-unavailable': '现在连不上身份核验服务，电子身份码暂时不能使用。请将身份证放在读卡区，或到人工窗口办理。',
} as const;

/** How long the citizen waits for central's answer before being told to use the card instead. */
const VERIFY_TIMEOUT_MS = 5_000;

export async function verifyIdentityCode(client: CentralClient, log: Logger, code: string): Promise<CodeVerification> {
  const outcome = await client.call('POST', CENTRAL_PATHS.identityCode, IdentityCodeAnswer, { code }, { timeoutMs: VERIFY_TIMEOUT_MS });
  if (outcome.kind !== 'ok') {
    log.log('warn', 'identity.code-unverified', { outcome: outcome.kind, reason: outcome.reason });
    return { ok: false, code: 'central-unavailable', message: CODE_MESSAGES['central-unavailable'] };
  }
  const answer = outcome.value;
  if (answer.verified) {
    log.log('info', 'identity.code-verified', { applicant: log.pseudonym(answer.identity.idNumber) });
    return { ok: true, identity: answer.identity };
  }
  const code_ = answer.reason === 'expired' ? 'code-expired' : 'code-invalid';
  log.log('info', 'identity.code-refused', { reason: answer.reason });
  return { ok: false, code: code_, message: CODE_MESSAGES[code_] };
}
