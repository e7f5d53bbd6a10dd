import { describe, expect, it, vi } from 'vitest';
import { createProofHandlers } from '../../../host/proof-handlers.js';
import type { ProofService } from '../../../host/services/proofs.js';
import type { SessionService } from '../../../host/services/session.js';

/**
 * 查询打印 behind 人证核验 (issues 14 and 15): the host, not the screen, refuses to issue a proof with personal
 * data until the session's identity has passed the check its catalog service asks for.
 */
function setUp(check: { method: 'staff'; staffNumber: string; outcome: 'passed' } | null) {
  const issue = vi.fn(() => Promise.resolve({ ok: true as const, value: {} }));
  const proofs = { serviceOf: () => ({ identityAssurance: 'card+face-or-staff' }), issue } as unknown as ProofService;
  const session = { current: () => ({ identity: { idNumber: '370911199008224029' } }), identityCheck: () => check } as unknown as SessionService;
  const handlers = createProofHandlers({ proofs, session });
  return { issue, call: () => handlers['proof:issue']({ kind: 'social-insurance-payment' }, { audiences: new Set(['citizen']) } as never) };
}

describe('proof:issue', () => {
  it('refuses before 人证核验 has passed, without asking central', async () => {
    const { issue, call } = setUp(null);
    expect(await call()).toMatchObject({ ok: false, error: { code: 'identity-check-needed', message: expect.stringContaining('请工作人员核验') } });
    expect(issue).not.toHaveBeenCalled();
  });

  it('issues once the check has passed', async () => {
    const { issue, call } = setUp({ method: 'staff', staffNumber: '0001', outcome: 'passed' });
    expect((await call()).ok).toBe(true);
    expect(issue).toHaveBeenCalledTimes(1);
  });
});
