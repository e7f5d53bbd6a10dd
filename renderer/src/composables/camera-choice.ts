/**
 * The document camera's choices that need no DOM: which camera, what to tell the citizen when none works,
 * and how large the next photo may be.
 */
import { PHOTO_MAX_BASE64, PHOTOS_MAX_BASE64, photoCharacters, type MaterialProvision } from '../../../contract/domain.js';

/** Labels document cameras give themselves (UVC names vary by vendor). */
const DOCUMENT_CAMERA = /高拍|文档|document|doc ?cam|visuali[sz]er|scanner|eloam|liangtian|良田|紫光/i;

/** The document camera among several (a kiosk may also have a face camera); null to keep the default. */
export function pickDocumentCamera(devices: readonly { kind: string; label: string; deviceId: string }[]): string | null {
  const cameras = devices.filter((device) => device.kind === 'videoinput');
  if (cameras.length < 2) return null;
  return cameras.find((camera) => DOCUMENT_CAMERA.test(camera.label))?.deviceId ?? null;
}

/** What the citizen is told when the camera cannot be used: what happened, and what to do instead. */
export function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return '未检测到高拍仪。请选择“稍后窗口补交”，或请工作人员协助。';
  }
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return '高拍仪暂时不能使用。请选择“稍后窗口补交”，或请工作人员检查高拍仪。';
  }
  return '高拍仪正忙或出现故障。请稍后再试，或选择“稍后窗口补交”，也可请工作人员检查高拍仪。';
}

/**
 * Base64 characters a new photo of `materialId` may take: the contract's limit for one photo, less
 * when the application's other photos have used up part of the total (a retake replaces its own).
 */
export function photoBudget(materials: Record<string, MaterialProvision>, materialId: string): number {
  const others = Object.fromEntries(Object.entries(materials).filter(([id]) => id !== materialId));
  return Math.max(0, Math.min(PHOTO_MAX_BASE64, PHOTOS_MAX_BASE64 - photoCharacters(others)));
}
