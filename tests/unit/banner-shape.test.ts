import { describe, expect, it } from 'vitest';
import { scoreBanner, type BannerCandidate } from '../../lib/consent/banner-shape';

const viewport = { width: 1280, height: 720 };
const banner: BannerCandidate = {
  text: 'Ce site utilise des cookies pour la mesure d’audience et la publicité. Accepter Continuer sans accepter Paramétrer',
  position: 'fixed',
  zIndex: 9999,
  width: 1280,
  height: 160,
  visible: true,
  viewport,
  controls: [{ text: 'Accepter' }, { text: 'Continuer sans accepter' }, { text: 'Paramétrer' }],
};

describe('banner shape', () => {
  it('a fixed layer with consent words and accept/refuse/settings controls is a banner, controls classified', () => {
    const v = scoreBanner(banner);
    expect(v.isBanner).toBe(true);
    expect(v.controls.map((c) => c.class?.kind)).toEqual(['accept', 'refuse', 'settings']);
    expect(v.score).toBeGreaterThan(0.9);
  });

  it('a role=dialog or aria-modal element in the flow is a banner too', () => {
    expect(scoreBanner({ ...banner, position: 'static', role: 'dialog' }).isBanner).toBe(true);
    expect(scoreBanner({ ...banner, position: 'static', ariaModal: true }).isBanner).toBe(true);
    expect(scoreBanner({ ...banner, position: 'relative', openDialog: true }).isBanner).toBe(true);
  });

  it.each<[string, Partial<BannerCandidate>]>([
    ['hidden', { visible: false }],
    ['too small', { width: 40, height: 10 }],
    ['in the page flow', { position: 'static' }],
    ['without consent words', { text: 'Inscrivez-vous à la newsletter' }],
    ['without decisive controls', { controls: [{ text: 'En savoir plus' }, { text: '×' }] }],
    ['with only purpose toggles', { controls: [{ text: 'Accepter', role: 'switch' }] }],
  ])('is no banner when %s', (_why, change) => {
    const v = scoreBanner({ ...banner, ...change });
    expect(v.isBanner).toBe(false);
    expect(v.score).toBeLessThan(scoreBanner(banner).score);
  });

  it('says why in words', () => {
    expect(scoreBanner({ ...banner, position: 'static' }).reasons).toContain('neither a dialog nor a fixed layer');
  });
});
