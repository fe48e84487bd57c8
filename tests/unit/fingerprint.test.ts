import { describe, expect, it } from 'vitest';
import {
  CANVAS_MAX_DRAWS,
  isAudioProbe,
  isCanvasFingerprint,
  isFontProbe,
  isUnmaskedWebglParameter,
  probedFontFamily,
  type CanvasReadback,
} from '@/lib/collectors/fingerprint';
import { sanitizePageEvent } from '@/lib/collectors/page-event';

/** A typical canvas fingerprint: a 220×30 canvas, a pangram in two colours, read back as PNG. */
const probe: CanvasReadback = { width: 220, height: 30, distinctChars: 10, colours: 2, saveRestore: false, draws: 3 };

describe('canvas readback heuristic (Englehardt & Narayanan 2016)', () => {
  it('counts text with 10 distinct characters or 2 colours on a canvas of at least 16×16', () => {
    expect(isCanvasFingerprint(probe)).toBe(true);
    expect(isCanvasFingerprint({ ...probe, colours: 1 })).toBe(true);
    expect(isCanvasFingerprint({ ...probe, distinctChars: 0 })).toBe(true);
    expect(isCanvasFingerprint({ ...probe, type: 'image/png' })).toBe(true);
    expect(isCanvasFingerprint({ ...probe, width: 16, height: 16 })).toBe(true);
  });
  it('does not count a small canvas, a lossy export, save/restore, animations or too little drawn', () => {
    expect(isCanvasFingerprint({ ...probe, width: 15 })).toBe(false);
    expect(isCanvasFingerprint({ ...probe, height: 12 })).toBe(false);
    expect(isCanvasFingerprint({ ...probe, type: 'image/jpeg' })).toBe(false);
    expect(isCanvasFingerprint({ ...probe, type: ' IMAGE/JPEG' })).toBe(false);
    expect(isCanvasFingerprint({ ...probe, saveRestore: true })).toBe(false);
    expect(isCanvasFingerprint({ ...probe, draws: CANVAS_MAX_DRAWS + 1 })).toBe(false);
    expect(isCanvasFingerprint({ ...probe, distinctChars: 9, colours: 1 })).toBe(false);
  });
});

describe('other probes', () => {
  it('fonts from 50 distinct families by one script', () => {
    expect(isFontProbe(49)).toBe(false);
    expect(isFontProbe(50)).toBe(true);
  });
  it('WebGL unmasked vendor and renderer only', () => {
    expect(isUnmaskedWebglParameter(0x9245)).toBe(true);
    expect(isUnmaskedWebglParameter(0x9246)).toBe(true);
    expect(isUnmaskedWebglParameter(0x1f01)).toBe(false); // RENDERER (masked)
    expect(isUnmaskedWebglParameter('37446')).toBe(false);
  });
  it('audio: an offline rendering with an oscillator and a compressor', () => {
    expect(isAudioProbe({ offline: true, oscillator: true, compressor: true })).toBe(true);
    expect(isAudioProbe({ offline: false, oscillator: true, compressor: true })).toBe(false);
    expect(isAudioProbe({ offline: true, oscillator: true, compressor: false })).toBe(false);
  });
  it.each([
    ['72px "Font Name", monospace', 'font name'],
    ["italic bold 12px/30px 'Arial Black', sans-serif", 'arial black'],
    ['10px sans-serif', 'sans-serif'],
    ['large Calibri', 'calibri'],
    ['1.5em Georgia,serif', 'georgia'],
  ])('probed family of %j is %j', (font, family) => {
    expect(probedFontFamily(font)).toBe(family);
  });
});

describe('fingerprint page events', () => {
  const now = 1_800_000_000_000;
  it('keep technique, detail and script, and drop unknown techniques', () => {
    expect(
      sanitizePageEvent(
        { type: 'fingerprint', technique: 'canvas', detail: 'x', initiator: 'https://a.example/f.js', time: now },
        now,
        'https://www.o2toit.com/',
      ),
    ).toEqual({
      type: 'fingerprint',
      technique: 'canvas',
      detail: 'x',
      initiator: 'https://a.example/f.js',
      time: now,
      url: 'https://www.o2toit.com/',
    });
    expect(sanitizePageEvent({ type: 'fingerprint', technique: 'battery' }, now, 'https://www.o2toit.com/')).toBe(
      undefined,
    );
  });
});
