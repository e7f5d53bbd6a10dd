/**
 * Pure policy of the kiosk window, kept apart from Electron so that tests run it under plain Node.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  // 'self' (app://kiosk): the face check fetches its bundled model files; still nothing outside the bundle.
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The page's own copy of the policy: a `<meta http-equiv>` in the built index.html (vite.config.ts), so the
 * page is restricted even where no header reaches it. It allows what either shell needs (the browser
 * shell's WebSocket to 127.0.0.1) and each shell's header narrows it further: a browser enforces every
 * policy it is given. `frame-ancestors` cannot be delivered by `<meta>`; the headers carry it.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The one page the window may show: the bundled renderer's index.html at `app://kiosk/index.html`.
 * Scheme, host and path must all match: `file://attacker.example/C:/…/index.html` has the right path on
 * another host (a UNC share on Windows) and must not pass.
 */
export function isAllowedNavigation(url: string, rendererIndexUrl: string): boolean {
  try {
    const target = new URL(url);
    const allowed = new URL(rendererIndexUrl);
    return target.protocol === allowed.protocol && target.host === allowed.host && target.pathname === allowed.pathname && target.username === '' && target.password === '';
  } catch {
    return false;
  }
}

/** IPC is accepted only from the kiosk window's own top frame showing the renderer. */
export function isTrustedSender(frameUrl: string | undefined, isTopFrame: boolean, rendererIndexUrl: string): boolean {
  return isTopFrame && frameUrl !== undefined && isAllowedNavigation(frameUrl, rendererIndexUrl);
}

/** What Electron tells about a permission request or check, reduced to what the policy reads. */
export interface PermissionAsk {
  /** Request: the media kinds asked for. */
  mediaTypes?: readonly string[];
  /** Check: the one media kind checked. */
  mediaType?: string;
  requestingUrl?: string;
  isMainFrame: boolean;
}

/**
 * Every permission is denied but one: media — the camera for the document camera (高拍仪), camera and
 * microphone for 远程视频帮办 (issue 12; the renderer opens them only after the citizen's 同意 and stops
 * every track when the call ends) — asked by the kiosk window's own top frame showing the renderer. No
 * screen capture, nothing for any other page or frame.
 */
export function isAllowedPermission(permission: string, ask: PermissionAsk, rendererIndexUrl: string): boolean {
  if (permission !== 'media') return false;
  const kinds = ask.mediaTypes ?? (ask.mediaType ? [ask.mediaType] : []);
  if (kinds.length === 0 || kinds.some((kind) => kind !== 'video' && kind !== 'audio')) return false;
  return isTrustedSender(ask.requestingUrl, ask.isMainFrame, rendererIndexUrl);
}
