import type { VerificationResult } from '../../contract/proofs.js';
import type { CentralContext } from '../context.js';

/**
 * The public verification of a sealed document (issue 15), answered before any signature check: whoever
 * holds the paper scans its QR (`/verify/<code>`) or types its code. A real web page in plain Chinese and
 * the same answer as JSON (`/v1/verify/<code>`). Both show only the key fields the paper shows, masked
 * (contract/proofs.ts verificationKeyFields): the page must not become a way to look people up.
 */

const PAGE_PREFIX = '/verify/';
const JSON_PREFIX = '/v1/verify/';

/** Whether a path is one of the public verification paths (`/verify`, `/verify/<code>`, `/v1/verify/<code>`). */
export function isVerificationPath(pathname: string): boolean {
  return pathname === '/verify' || pathname.startsWith(PAGE_PREFIX) || pathname.startsWith(JSON_PREFIX);
}

/** A code as typed or scanned: spaces and hyphens dropped, upper case (the code's alphabet is 0-9A-Z). */
function normaliseCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase().slice(0, 64);
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

const ADVICE = {
  valid: '该证明由本中心出具，内容与下列信息一致。请核对纸质证明上的信息是否与此相同；不一致的，该纸质证明已被改动，不能作为办事依据。',
  expired: '该证明确由本中心出具，但已超过有效期，不能再作为办事依据。请证明持有人到政务服务中心自助终端或窗口重新开具。',
  'not-found': '未查到该验证码对应的证明。请核对验证码是否输入正确；确认无误仍查不到的，该证明不是本中心出具的，不能作为办事依据。',
} as const;

/** The verification page for one answer (or the empty form when `code` is null). */
export function verificationPage(code: string | null, result: VerificationResult | null): string {
  const status = result?.status;
  const colour = status === 'valid' ? '#0a6b2f' : status === 'expired' ? '#8a5a00' : '#a11616';
  const fields = result?.document
    ? `<dl>${[
        ['证明名称', result.document.title],
        ['出具单位', result.document.issuer],
        ['出具时间', result.document.issuedAt.replace('T', ' ').slice(0, 16)],
        ['有效期至', result.document.validUntil],
        ...result.document.keyFields.map((field) => [field.label, field.value]),
      ]
        .map(([label, value]) => `<dt>${escapeHtml(label ?? '')}</dt><dd>${escapeHtml(value ?? '')}</dd>`)
        .join('')}</dl>`
    : '';
  const answer =
    result && status && code !== null
      ? `<p class="code">验证码：${escapeHtml(code)}</p><p class="status" style="color:${colour}">${escapeHtml(result.statusText)}</p><p>${ADVICE[status]}</p>${fields}`
      : '<p>请输入纸质证明右下角的16位验证码，或用手机扫描证明上的二维码。</p>';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>证明真伪查验 - 泰安市政务服务中心</title>
<style>body{font-family:"Noto Sans SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:0 auto;padding:1.5rem;font-size:1.15rem;line-height:1.6;color:#1a1a1a}
h1{font-size:1.5rem}.status{font-size:2.2rem;font-weight:700;margin:.5rem 0}.code{font-family:monospace;letter-spacing:.1em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;border-top:1px solid #ccc;padding-top:1rem}dt{color:#555}dd{margin:0}
form{margin-top:2rem}input{font-size:1.2rem;padding:.5rem;width:16ch;letter-spacing:.1em}button{font-size:1.2rem;padding:.5rem 1rem;margin-left:.5rem}
.note{color:#555;font-size:1rem;margin-top:2rem}</style></head>
<body><h1>证明真伪查验</h1>${answer}
<form method="get" action="/verify"><label>验证码 <input name="code" maxlength="20" autocomplete="off" inputmode="latin" value="${escapeHtml(code ?? '')}"></label><button type="submit">查验</button></form>
<p class="note">本页只显示证明上的部分信息，姓名和证件号码已作遮挡。证明仅供办理政务服务事项使用。</p></body></html>`;
}

/** Answer of a verification path: status, headers and body (HTML or JSON text). */
export async function verificationAnswer(
  context: CentralContext,
  method: string,
  pathname: string,
  query: URLSearchParams,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const common = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { ...common, allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ code: 'method-not-allowed', message: '请用浏览器打开此页面' }) };
  }
  const issuer = context.proofs;
  const verify = async (code: string): Promise<VerificationResult> =>
    issuer ? issuer.verify(context.store, code) : { status: 'not-found', statusText: '无此证明' };
  if (pathname.startsWith(JSON_PREFIX)) {
    const result = await verify(normaliseCode(decodeURIComponent(pathname.slice(JSON_PREFIX.length))));
    return { status: 200, headers: { ...common, 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' }, body: JSON.stringify(result) };
  }
  const raw = pathname === '/verify' ? query.get('code') : decodeURIComponent(pathname.slice(PAGE_PREFIX.length));
  const code = raw === null || raw.trim() === '' ? null : normaliseCode(raw);
  const result = code === null ? null : await verify(code);
  return {
    status: 200,
    headers: { ...common, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" },
    body: verificationPage(code, result),
  };
}
