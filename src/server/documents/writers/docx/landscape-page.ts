import { A4, LANDSCAPE_MARGINS } from './gb-t-9704.ts';

/**
 * What the page number's footer takes from the foot of the landscape 版心. Before issue 13 the
 * landscape footer stood inside the 版心 and LibreOffice shortened the body by about 20 pt (400
 * twips); the pages slice (i13-pages) puts the landscape page numbers outside the 版心 in a 1 pt
 * footer, so nothing is taken. Decision 023.
 */
export const LANDSCAPE_FOOTER_REACH = 0;

/** Height the progress table is paginated to: the landscape 版心 (210 − 28 − 26 = 156 mm) less the footer's reach. */
export const LANDSCAPE_BODY_HEIGHT = A4.width - LANDSCAPE_MARGINS.top - LANDSCAPE_MARGINS.bottom - LANDSCAPE_FOOTER_REACH;
