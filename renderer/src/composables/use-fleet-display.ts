import { toJpeg } from 'html-to-image';
import { kiosk } from '../bridge/client.js';
import { useScreenStore } from '../stores/screen.js';
import { useSessionStore } from '../stores/session.js';
import { useStaffStore } from '../stores/staff.js';

/**
 * What only the window can tell central (issue 13): whether a camera (the document camera) is there,
 * and a small picture of the idle home screen, so the fleet console proves the screen renders. The
 * picture is taken only on the home screen with no session and no staff signed in, after a quiet
 * moment; the host refuses it otherwise too. html-to-image (MIT) draws the DOM into a canvas, which
 * works in both shells alike (Electron's capturePage would need the main process and the browser
 * shell has no equivalent). Fonts are not embedded (the bundled CJK faces are megabytes): the picture
 * uses the system's faces, enough to see that the screen draws.
 */
const REPORT_EVERY_MS = 60_000;
/** A quarter of the screen each way: 270 × 480 for the upright 1080 × 1920 screen. */
const SCALE = 0.25;

async function cameraPresent(): Promise<boolean | null> {
  if (!navigator.mediaDevices?.enumerateDevices) return null;
  try {
    return (await navigator.mediaDevices.enumerateDevices()).some((device) => device.kind === 'videoinput');
  } catch {
    return null;
  }
}

async function idleScreenshot(): Promise<{ mime: 'image/jpeg'; data: string } | null> {
  const screen = useScreenStore();
  const session = useSessionStore();
  const staff = useStaffStore();
  if (screen.name !== 'home' || session.view || session.identity || staff.signedIn) return null;
  try {
    const url = await toJpeg(document.body, { quality: 0.6, pixelRatio: SCALE, skipFonts: true, backgroundColor: '#ffffff' });
    const data = url.slice(url.indexOf(',') + 1);
    // Someone may have touched the screen while it was drawn: then the picture is not sent.
    if (screen.name !== 'home' || session.view || session.identity || staff.signedIn) return null;
    return data.length <= 200_000 ? { mime: 'image/jpeg', data } : null;
  } catch {
    return null;
  }
}

/** Reports now, then every minute; called once by the composition root. */
export function startFleetDisplayReports(): void {
  const report = async () => {
    await kiosk().fleetReportDisplay({ cameraPresent: await cameraPresent(), screenshot: await idleScreenshot() });
  };
  setTimeout(() => void report(), 5_000);
  setInterval(() => void report(), REPORT_EVERY_MS);
}
