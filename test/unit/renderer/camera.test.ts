import { describe, expect, it } from 'vitest';
import { ApplicationDraft, MaterialProvision, PHOTO_MAX_BASE64, PHOTOS_MAX_BASE64 } from '../../../contract/domain.js';
import { cameraProblem, photoBudget, pickDocumentCamera } from '../../../renderer/src/composables/camera-choice.js';

const camera = (deviceId: string, label: string) => ({ kind: 'videoinput', deviceId, label });
const photo = (characters: number): MaterialProvision => ({ kind: 'photo', mimeType: 'image/jpeg', base64: `/9j/${'A'.repeat(characters - 4)}` });

describe('the document camera', () => {
  it('picks the document camera by its label only when there is a choice', () => {
    expect(pickDocumentCamera([camera('a', 'Integrated Webcam')])).toBeNull();
    expect(pickDocumentCamera([camera('face', 'USB2.0 HD UVC WebCam'), camera('doc', 'Eloam S1000 Document Camera')])).toBe('doc');
    expect(pickDocumentCamera([camera('face', '人脸识别摄像头'), camera('doc', '良田高拍仪')])).toBe('doc');
    expect(pickDocumentCamera([camera('a', 'Camera A'), camera('b', 'Camera B')])).toBeNull();
    expect(pickDocumentCamera([{ kind: 'audioinput', deviceId: 'm', label: 'Document microphone' }, camera('a', 'Camera A')])).toBeNull();
  });

  it('says in plain Chinese what happened and what to do instead', () => {
    expect(cameraProblem(new DOMException('none', 'NotFoundError'))).toBe('未检测到高拍仪。请选择“稍后窗口补交”，或请工作人员协助。');
    expect(cameraProblem(new DOMException('denied', 'NotAllowedError'))).toContain('请工作人员检查高拍仪');
    expect(cameraProblem(new DOMException('busy', 'NotReadableError'))).toContain('正忙或出现故障');
    expect(cameraProblem('anything')).toContain('稍后窗口补交');
  });

  it('accepts only a JPEG within the size limit as a photographed material', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]).toString('base64');
    expect(MaterialProvision.safeParse({ kind: 'photo', mimeType: 'image/jpeg', base64: jpeg }).success).toBe(true);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]).toString('base64');
    expect(MaterialProvision.safeParse({ kind: 'photo', mimeType: 'image/jpeg', base64: png }).success).toBe(false);
    expect(MaterialProvision.safeParse({ kind: 'photo', mimeType: 'image/jpeg', base64: `${jpeg}<script>` }).success).toBe(false);
    expect(MaterialProvision.safeParse({ kind: 'photo', mimeType: 'image/jpeg', base64: `/9j/${'A'.repeat(PHOTO_MAX_BASE64)}` }).success).toBe(false);
  });

  it('bounds the photos of one application together, so any valid draft fits the bridge and central', () => {
    const draft = (materials: Record<string, MaterialProvision>) => ({ serviceId: 's', answers: {}, form: {}, materials });
    const full = photo(PHOTO_MAX_BASE64);
    expect(ApplicationDraft.safeParse(draft({ a: full, b: full })).success).toBe(true);
    const over = ApplicationDraft.safeParse(draft({ a: full, b: full, c: photo(8) }));
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toContain('稍后窗口补交');
  });

  it('gives a new photo what the other photos leave, never more than one photo may take', () => {
    expect(photoBudget({}, 'a')).toBe(PHOTO_MAX_BASE64);
    expect(photoBudget({ b: photo(1_000_000), c: { kind: 'paper-later' } }, 'a')).toBe(PHOTO_MAX_BASE64);
    expect(photoBudget({ b: photo(PHOTO_MAX_BASE64), c: photo(3_000_000) }, 'a')).toBe(PHOTOS_MAX_BASE64 - PHOTO_MAX_BASE64 - 3_000_000);
    // A retake replaces its own photo, so that one does not count against it.
    expect(photoBudget({ a: photo(PHOTO_MAX_BASE64), b: photo(PHOTO_MAX_BASE64) }, 'a')).toBe(PHOTO_MAX_BASE64);
    expect(photoBudget({ b: photo(PHOTO_MAX_BASE64), c: photo(PHOTO_MAX_BASE64) }, 'a')).toBe(0);
  });
});
