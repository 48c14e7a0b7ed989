import { A4, LANDSCAPE_MARGINS } from './gb-t-9704.ts';

/**
 * What the page number's footer takes from the foot of the landscape 版心 in LibreOffice today
 * (measured: the last line of a full page ends about 20 pt above the 版心's foot). When the page
 * numbers stand outside the 版心 this is only a reserve; set it to 0 once they do (decision 023).
 */
export const LANDSCAPE_FOOTER_REACH = 400;

/** Height the progress table is paginated to: the landscape 版心 (210 − 28 − 26 = 156 mm) less the footer's reach. */
export const LANDSCAPE_BODY_HEIGHT = A4.width - LANDSCAPE_MARGINS.top - LANDSCAPE_MARGINS.bottom - LANDSCAPE_FOOTER_REACH;
