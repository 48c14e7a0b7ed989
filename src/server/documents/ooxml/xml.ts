import { SaxesParser } from 'saxes';
import { invalid, isDomainError } from '../../../domain/errors.ts';
import type { OoxmlPackage } from './zip.ts';

/**
 * XML parts are read with saxes, event by event (decision 008): never with regular expressions
 * over the text, and never into a whole tree, so a 60 MB document.xml costs its string and the
 * reader's own result. A DOCTYPE is refused as soon as it is seen: no DTD, no entity expansion,
 * no external entity can ever be fetched (saxes knows only the five XML entities and refuses any
 * other reference). Namespaces are resolved, so `w:p` is matched by its namespace, not its prefix.
 */

/** WordprocessingML and SpreadsheetML main namespaces, transitional and strict. */
export const NS = {
  w: ['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main'],
  s: ['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main'],
  r: ['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships'],
  rel: ['http://schemas.openxmlformats.org/package/2006/relationships'],
  mc: ['http://schemas.openxmlformats.org/markup-compatibility/2006'],
} as const;

export type Namespace = keyof typeof NS;

export interface XmlTag {
  /** Which known namespace the element is in, or null. */
  readonly ns: Namespace | null;
  readonly local: string;
  /** An attribute by local name, in the given namespace (default: no namespace, or the element's own). */
  attr(local: string, ns?: Namespace): string | undefined;
}

const namespaceOf = (uri: string | undefined): Namespace | null => {
  if (uri === undefined) return null;
  for (const [key, uris] of Object.entries(NS)) if ((uris as readonly string[]).includes(uri)) return key as Namespace;
  return null;
};

type Scope = ReadonlyMap<string, Namespace | null>;

/**
 * Namespaces resolved here rather than by saxes' own `xmlns` mode, which made a 31 MB
 * document.xml take 3.5 times as long: prefixes are looked up in the scope of declarations
 * (`xmlns:w="…"`) in force, which changes only where an element declares one (the root, in practice).
 */
class Tag implements XmlTag {
  readonly ns: Namespace | null;
  readonly local: string;
  constructor(
    name: string,
    private readonly attributes: Record<string, string>,
    private readonly scope: Scope,
  ) {
    const colon = name.indexOf(':');
    this.local = colon === -1 ? name : name.slice(colon + 1);
    this.ns = scope.get(colon === -1 ? '' : name.slice(0, colon)) ?? null;
  }

  attr(local: string, ns?: Namespace): string | undefined {
    for (const name in this.attributes) {
      const colon = name.indexOf(':');
      if ((colon === -1 ? name : name.slice(colon + 1)) !== local) continue;
      // Unprefixed attributes are in no namespace (XML Namespaces 6.2); `w:val` is in w's.
      const attributeNs = colon === -1 ? null : (this.scope.get(name.slice(0, colon)) ?? null);
      if (ns === undefined ? attributeNs === null || attributeNs === this.ns : attributeNs === ns) return this.attributes[name];
    }
    return undefined;
  }
}

export interface XmlHandlers {
  open(tag: XmlTag): void;
  close(tag: XmlTag): void;
  text(text: string): void;
}

/** Decodes a part's bytes (UTF-8, or UTF-16 with a BOM, as the XML spec allows) and runs the handlers over it. */
export function parseXmlPart(pkg: OoxmlPackage, part: string, handlers: XmlHandlers): void {
  const bytes = pkg.read(part);
  if (!bytes) throw invalid('import_ooxml_part', `${pkg.source}：缺少 ${part}，文件不完整`, { file: pkg.source, part });
  parseXmlText(decodeXml(bytes, pkg.source, part), pkg.source, part, handlers);
}

export function parseXmlText(text: string, source: string, part: string, handlers: XmlHandlers): void {
  const parser = new SaxesParser({ position: true });
  const stack: { tag: XmlTag; scope: Scope }[] = [];
  let scope: Scope = new Map();
  parser.on('doctype', () => {
    throw invalid('import_xml_doctype', `${source}：${part} 含有 DOCTYPE 声明，Office 文件不会有，出于安全原因拒绝导入`, {
      file: source,
      part,
    });
  });
  parser.on('opentag', (raw) => {
    const attributes = raw.attributes as Record<string, string>;
    let declared: Map<string, Namespace | null> | null = null;
    for (const name in attributes)
      if (name === 'xmlns' || name.startsWith('xmlns:'))
        (declared ??= new Map(scope)).set(name === 'xmlns' ? '' : name.slice(6), namespaceOf(attributes[name]));
    const outer = scope;
    if (declared) scope = declared;
    const tag = new Tag(raw.name, attributes, scope);
    stack.push({ tag, scope: outer });
    handlers.open(tag);
  });
  parser.on('closetag', () => {
    const { tag, scope: outer } = stack.pop()!;
    scope = outer;
    handlers.close(tag);
  });
  parser.on('text', handlers.text);
  parser.on('cdata', handlers.text);
  try {
    parser.write(text).close();
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw invalid('import_xml_syntax', `${source}：${part} 不是有效的 XML（${(error as Error).message}）`, { file: source, part });
  }
}

function decodeXml(bytes: Uint8Array, source: string, part: string): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalid('import_xml_encoding', `${source}：${part} 不是有效的 UTF-8/UTF-16 文本`, { file: source, part });
  }
}

/** A part's relationships (`word/_rels/document.xml.rels`) by id; empty when the part has none. */
export function readRelationships(pkg: OoxmlPackage, part: string): Map<string, { target: string; type: string }> {
  const relationships = new Map<string, { target: string; type: string }>();
  if (!pkg.has(part)) return relationships;
  parseXmlPart(pkg, part, {
    open(tag) {
      if (tag.local !== 'Relationship') return;
      const id = tag.attr('Id');
      const target = tag.attr('Target');
      if (id && target) relationships.set(id, { target, type: tag.attr('Type') ?? '' });
    },
    close() {},
    text() {},
  });
  return relationships;
}

/** `xl/workbook.xml` + `worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`; an absolute target starts at the root. */
export function resolvePartName(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = fromPart.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}
