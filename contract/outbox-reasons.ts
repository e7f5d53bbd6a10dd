/**
 * Why a submission is still on the kiosk, in the words hall staff read on the staff desk (STYLE.md: staff
 * screens show labels, never codes). The outbox keeps the machine reason for the audit and the log
 * (`OutboxEntry.lastError`): a drainer retry reason (`network: TypeError`, `central-redirect`, central's
 * error code such as `unavailable`), a staff reason `<class>: <reason>` written by the drainer
 * (`needs-staff: signature-unknown-key`, `permanent: bad-request`), or a storage salvage record
 * (`lost: record-damaged`). Central's codes come from `central/http/core.ts` and `central/routes/`;
 * signature failures are `signature-<VerifyFailure>` (contract/central/signing.ts).
 *
 * Returns `{ text, action }`: what happened and what staff do next, both plain Chinese. An unknown code
 * still gets a sentence (by its class), never the code itself.
 */
export function outboxReasonLabel(lastError: string | null): { text: string; action: string } {
  if (lastError === null || lastError.trim() === '') return { text: '等待提交', action: '无需处理，本机会自动提交' };
  const match = /^(needs-staff|permanent|lost): (.*)$/.exec(lastError.trim());
  const kind = match?.[1] ?? 'retry';
  const code = (match?.[2] ?? lastError).trim();

  if (kind === 'lost') {
    if (code === 'not-on-central') return { text: '本机存储损坏，这份申请没有送达政务服务系统', action: '请联系申请人重新办理，或在窗口补录' };
    return { text: '本机存储损坏，这份申请的内容已无法读取', action: '本机正在向政务服务系统核对；核对不到时请联系申请人重新办理' };
  }
  if (code.startsWith('network')) return { text: '网络中断，暂时连不上政务服务系统', action: '无需处理，网络恢复后本机会自动提交' };
  if (code === 'central-redirect') return { text: '政务服务系统的地址被转到了别处，本机已暂停提交', action: '请技术人员检查本机的服务地址配置' };
  if (code === 'unparseable-response' || code === 'response-schema-mismatch') return { text: '政务服务系统的答复无法识别', action: '请技术人员核对本机与政务服务系统的接口版本' };
  if (code === 'signature-stale-timestamp') return { text: '本机时间与政务服务系统不一致', action: '无需处理，本机会校准时间后自动重新提交' };
  if (code.startsWith('signature-')) return { text: '本机的终端身份未通过政务服务系统校验', action: '请技术人员检查本机的终端证书（密钥）' };
  if (code === 'unavailable' || code === 'in-flight' || code === 'internal' || /^http-5\d\d$/.test(code)) return { text: '政务服务系统暂时繁忙', action: '无需处理，本机会稍后自动提交' };
  if (code === 'too-large') return { text: '申请的内容（如材料照片）超出了政务服务系统的大小限制', action: '请在窗口为申请人重新提交材料' };
  if (code === 'idempotency-key-reused') return { text: '政务服务系统已收到过同一编号但内容不同的申请', action: '请在窗口核对后重新提交，不要重复受理' };
  if (code === 'unknown-service') return { text: '政务服务系统不再受理这个事项', action: '请在窗口按现行事项为申请人办理' };
  if (code === 'bad-request' || code === 'missing-idempotency-key') return { text: '政务服务系统退回了这份申请（内容不符合要求）', action: '请在窗口核对申请内容后为申请人办理' };
  if (kind === 'needs-staff' || kind === 'permanent') return { text: '政务服务系统没有接受这份申请', action: '请在窗口核对后为申请人办理' };
  return { text: '暂时没有提交成功', action: '无需处理，本机会自动重试' };
}
