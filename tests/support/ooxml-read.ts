import { unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';

/**
 * Reads the .docx and .xlsx files the writers produce back into something tests can assert on:
 * the zip's entries, and each XML part as a plain element tree. Element and attribute names are
 * kept as written, prefix included (`w:p`, `w:val`), since OOXML parts use fixed prefixes.
 * It is a test helper, not the upload reader: it trusts its input (the project's own output)
 * apart from refusing DOCTYPE declarations.
 */

export interface XmlElement {
  /** Qualified name as written, e.g. `w:tc`. */
  name: string;
  /** Attributes by qualified name, e.g. `attrs['w:val']`. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside this element (not its descendants'); see `textOf` for all of it. */
  text: string;
}

/** Every entry of a zip archive by its path (`word/document.xml`). Throws when the bytes are not a zip. */
export function readZipEntries(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(bytes)));
}

/** Parses one XML document into its root element. Throws on malformed XML or a DOCTYPE. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('doctype', () => {
    failure ??= new Error('XML with a DOCTYPE declaration is refused');
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attrs: { ...(tag.attributes as Record<string, string>) }, children: [], text: '' };
    stack.at(-1)!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (value: string) => {
    stack.at(-1)!.text += value;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(text).close();
  if (failure) throw failure;
  const [element] = root.children;
  if (!element) throw new Error('XML document has no root element');
  return element;
}

/** Reads and parses one XML part of an archive; throws naming the part when it is missing. */
export function readXmlPart(entries: Map<string, Uint8Array>, path: string): XmlElement {
  const bytes = entries.get(path);
  if (!bytes) throw new Error(`no part ${path} in the archive (has: ${[...entries.keys()].join(', ')})`);
  return parseXml(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}

/** Every descendant of `element` (itself included) named `name`, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlElement) => {
    if (node.name === name) found.push(node);
    for (const child of node.children) walk(child);
  };
  walk(element);
  return found;
}

/** The first descendant named `name` (itself included), or undefined. */
export function findFirst(element: XmlElement, name: string): XmlElement | undefined {
  if (element.name === name) return element;
  for (const child of element.children) {
    const found = findFirst(child, name);
    if (found) return found;
  }
  return undefined;
}

/** The direct children named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/**
 * All text inside `element`: its own, then its children's in order (OOXML does not mix text and
 * elements, so that is document order). For Word parts, `textOf(p, 'w:t')` joins only the text runs.
 */
export function textOf(element: XmlElement, only?: string): string {
  if (only !== undefined)
    return findAll(element, only)
      .map((node) => node.text)
      .join('');
  return element.text + element.children.map((child) => textOf(child)).join('');
}
