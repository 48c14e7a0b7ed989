import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { Document, Packer, type IStylesOptions } from 'docx';
import { unzipSync, strFromU8 } from 'fflate';

/**
 * What the docx library cannot write, written into its XML with a real XML parser (@xmldom/xmldom),
 * never by editing the text: only word/styles.xml, a few kilobytes whatever the document's size,
 * handed back to the packer as an override so the document is zipped once (decision 022).
 *
 * - Document defaults: no automatic spacing between Chinese and Latin text or digits
 *   (w:autoSpaceDE, w:autoSpaceDN off). It widens every line holding a digit by about a third of a
 *   character at each change of script, so a date written under an issuer starts 0.7 characters
 *   right of it instead of 2, and a body line holds fewer than its 28 characters.
 * - Styles named in `noGrid`: w:snapToGrid off, so a 2号 title line takes one line of the page's
 *   22-line grid rather than two (LibreOffice snaps even exact line heights to the grid).
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** The children of w:pPr in the order CT_PPr (ECMA-376 §17.3.1.26) gives them. */
const PPR_ORDER = [
  'pStyle',
  'keepNext',
  'keepLines',
  'pageBreakBefore',
  'framePr',
  'widowControl',
  'numPr',
  'suppressLineNumbers',
  'pBdr',
  'shd',
  'tabs',
  'suppressAutoHyphens',
  'kinsoku',
  'wordWrap',
  'overflowPunct',
  'topLinePunct',
  'autoSpaceDE',
  'autoSpaceDN',
  'bidi',
  'adjustRightInd',
  'snapToGrid',
  'spacing',
  'ind',
  'contextualSpacing',
  'mirrorIndents',
  'suppressOverlap',
  'jc',
  'textDirection',
  'textAlignment',
  'textboxTightWrap',
  'outlineLvl',
  'divId',
  'cnfStyle',
  'rPr',
  'sectPr',
  'pPrChange',
] as const;

const childElements = (parent: Element): Element[] => Array.from(parent.childNodes).filter((node): node is Element => node.nodeType === 1);
const childW = (parent: Element, local: string) => childElements(parent).find((child) => child.namespaceURI === W && child.localName === local);

/** The w:`local` child of `parent`, created (empty, at the end) when missing. */
function ensureChild(parent: Element, local: string, before?: (child: Element) => boolean): Element {
  const existing = childW(parent, local);
  if (existing) return existing;
  const created = parent.ownerDocument!.createElementNS(W, `w:${local}`);
  const next = before ? childElements(parent).find(before) : undefined;
  parent.insertBefore(created, next ?? null);
  return created;
}

/** Sets an on/off property of a w:pPr (`w:val="0"` or `"1"`), in schema order. */
function setParagraphOnOff(pPr: Element, local: (typeof PPR_ORDER)[number], on: boolean): void {
  const rank = PPR_ORDER.indexOf(local);
  const element = ensureChild(pPr, local, (child) => PPR_ORDER.indexOf(child.localName as (typeof PPR_ORDER)[number]) > rank);
  element.setAttributeNS(W, 'w:val', on ? '1' : '0');
}

/** styles.xml with the document defaults and the grid-free styles described above. */
export function finishStylesXml(xml: string, noGrid: readonly string[]): string {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const styles = document.documentElement!;
  const docDefaults = ensureChild(styles, 'docDefaults', () => true);
  const pPrDefault = ensureChild(docDefaults, 'pPrDefault');
  const defaultPPr = ensureChild(pPrDefault, 'pPr');
  setParagraphOnOff(defaultPPr, 'autoSpaceDE', false);
  setParagraphOnOff(defaultPPr, 'autoSpaceDN', false);
  for (const style of childElements(styles).filter((child) => child.localName === 'style')) {
    if (!noGrid.includes(style.getAttributeNS(W, 'styleId') ?? '')) continue;
    // CT_Style: name, aliases, basedOn, next, link, …, pPr, rPr, …: pPr goes before rPr and what follows it.
    const pPr = ensureChild(style, 'pPr', (child) => ['rPr', 'tblPr', 'trPr', 'tcPr', 'tblStylePr'].includes(child.localName ?? ''));
    setParagraphOnOff(pPr, 'snapToGrid', false);
  }
  return new XMLSerializer().serializeToString(document);
}

const finished = new Map<string, Promise<string>>();

/**
 * word/styles.xml as the docx library writes it for these styles, finished as above. Computed
 * once per set of styles from an empty document (the styles part does not depend on the content).
 */
export function finishedStylesXml(styles: IStylesOptions, noGrid: readonly string[]): Promise<string> {
  const key = JSON.stringify([styles, noGrid]);
  let result = finished.get(key);
  if (!result) {
    result = Packer.toBuffer(new Document({ styles, sections: [{ children: [] }] })).then((bytes) => {
      const part = unzipSync(new Uint8Array(bytes), { filter: (file) => file.name === 'word/styles.xml' })['word/styles.xml'];
      if (!part) throw new Error('the docx library wrote no word/styles.xml');
      return finishStylesXml(strFromU8(part), noGrid);
    });
    finished.set(key, result);
  }
  return result;
}
