import { describe, expect, it } from 'vitest';
import { pickLinks } from '../../scripts/cli/links';

describe('pickLinks (--pages)', () => {
  const hrefs = [
    'https://www.o2toit.com/#top',
    'https://www.o2toit.com/contact',
    'https://www.o2toit.com/contact#form',
    'https://www.facebook.com/o2toit',
    'mailto:contact@o2toit.com',
    'javascript:void(0)',
    'https://www.o2toit.com/brochure.PDF',
    'https://shop.o2toit.com/',
    'http://o2toit.com/mentions-legales',
  ];

  it('keeps same-site pages in document order, once, without fragments or the first page', () => {
    expect(pickLinks(hrefs, 'o2toit.com', 10, ['https://www.o2toit.com/'])).toEqual([
      'https://www.o2toit.com/contact',
      'https://shop.o2toit.com/',
      'http://o2toit.com/mentions-legales',
    ]);
  });

  it('stops at the limit', () => {
    expect(pickLinks(hrefs, 'o2toit.com', 1, ['https://www.o2toit.com/'])).toEqual(['https://www.o2toit.com/contact']);
    expect(pickLinks(hrefs, 'o2toit.com', 0)).toEqual([]);
  });
});
