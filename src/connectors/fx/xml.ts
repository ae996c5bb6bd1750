/**
 * A deliberately tiny XML scanner for the two rate feeds (BNR, ECB). They are flat, attribute-heavy
 * and small; a full XML parser would be a new dependency for no gain. Names are reduced to their local
 * part (namespace prefixes dropped) because BNR changed its namespace URI in 2026 and ECB puts the
 * payload in a default namespace — matching by local name survives both.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<![^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

export class XmlSyntaxError extends Error {}

/** Parse into a tree of elements (local names). Throws XmlSyntaxError on unbalanced or non-XML input. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(xml); m !== null; m = TOKEN.exec(xml)) {
    const top = stack[stack.length - 1]!;
    const between = xml.slice(last, m.index);
    if (between.trim() !== '') {
      if (stack.length === 1) throw new XmlSyntaxError('text outside the root element');
      top.text += decodeEntities(between);
    }
    last = TOKEN.lastIndex;
    if (m[1] !== undefined) {
      top.text += m[1];
    } else if (m[2] !== undefined) {
      const name = local(m[2]);
      if (top === root || top.name !== name) throw new XmlSyntaxError(`unexpected closing tag </${m[2]}>`);
      stack.pop();
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      ATTR.lastIndex = 0;
      for (let a = ATTR.exec(m[4] ?? ''); a !== null; a = ATTR.exec(m[4] ?? '')) {
        if (a[1]!.startsWith('xmlns')) continue;
        attrs[local(a[1]!)] = decodeEntities(a[2] ?? a[3] ?? '');
      }
      const el: XmlElement = { name: local(m[3]), attrs, children: [], text: '' };
      if (stack.length === 1 && root.children.length > 0) throw new XmlSyntaxError('more than one root element');
      top.children.push(el);
      if (m[5] !== '/') stack.push(el);
    }
  }
  if (xml.slice(last).trim() !== '') throw new XmlSyntaxError('trailing text after the last tag');
  if (stack.length !== 1) throw new XmlSyntaxError(`unclosed element <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new XmlSyntaxError('no root element');
  return root.children[0]!;
}

/** All descendants (depth-first, document order) with the given local name. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
