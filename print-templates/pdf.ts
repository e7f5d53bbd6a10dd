import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { type DocumentBlock, type Row, wrapText } from './blocks.js';
import { advanceOf, faceFor, type FaceName, type FontWeight, loadFonts, face, reportMissingGlyph } from './fonts.js';

/**
 * Draws blocks to a PDF in two steps: `layout` places every line, rule, QR and image on a page (so a
 * receipt's height is known before the document exists, and A4 documents paginate without guessing);
 * `draw` replays the placed items into pdfkit. Lines are wrapped by `wrapText`, the same rules the
 * ESC/POS renderer uses, so a receipt breaks in the same places on both targets.
 */

const millimetre = 72 / 25.4;

export type PageKind = 'roll-80mm' | 'a4';

interface PageStyle {
  width: number;
  /** Fixed page height, or null to fit the page to its content (a receipt roll). */
  height: number | null;
  marginX: number;
  marginTop: number;
  marginBottom: number;
  /** Font sizes in points. */
  title: number;
  subtitle: number;
  heading: number;
  body: number;
  note: number;
  highlight: number;
  /** Line height as a multiple of the font size. */
  leading: number;
  /** Width of a QR code, including nothing of the quiet zone (paper is white). */
  qrSize: number;
  /** Width of the label column of rows, in ems of the body size. */
  labelEms: number;
}

const styles: Record<PageKind, PageStyle> = {
  // 80 mm rolls print 72 mm wide (576 dots at 203 dpi); the margins keep the PDF inside that.
  'roll-80mm': {
    width: 80 * millimetre,
    height: null,
    marginX: 4 * millimetre,
    marginTop: 4 * millimetre,
    marginBottom: 8 * millimetre,
    title: 14,
    subtitle: 9,
    heading: 10,
    body: 9,
    note: 8,
    highlight: 20,
    leading: 1.5,
    qrSize: 32 * millimetre,
    labelEms: 5,
  },
  // Margins after GB/T 9704 (official documents): a 156 mm text block, generous top margin.
  a4: {
    width: 210 * millimetre,
    height: 297 * millimetre,
    marginX: 27 * millimetre,
    marginTop: 30 * millimetre,
    marginBottom: 25 * millimetre,
    title: 22,
    subtitle: 12,
    heading: 14,
    body: 12,
    note: 10.5,
    highlight: 20,
    leading: 1.8,
    qrSize: 28 * millimetre,
    labelEms: 6,
  },
};

type Placed =
  | { kind: 'text'; page: number; x: number; y: number; text: string; weight: FontWeight; size: number }
  | { kind: 'line'; page: number; x1: number; y1: number; x2: number; y2: number; dashed: boolean }
  | { kind: 'box'; page: number; x: number; y: number; width: number; height: number }
  | { kind: 'qr'; page: number; x: number; y: number; size: number; text: string }
  | { kind: 'image'; page: number; x: number; y: number; width: number; height: number; png: Uint8Array };

interface Layout {
  items: Placed[];
  pages: number;
  /** Height of the last page (the whole roll for receipts). */
  lastPageHeight: number;
}

/** Width of `text` in points, each character measured in the font of the chain that will draw it. */
function widthOf(text: string, _weight: FontWeight, size: number): number {
  const regular = loadFonts().regular;
  let ems = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const font = faceFor(codePoint)?.font ?? regular;
    ems += advanceOf(font, codePoint) / font.unitsPerEm;
  }
  return ems * size;
}

/**
 * Splits a line into runs drawn with one face each: the first face of the chain with a glyph for the
 * character. A character no face has stays with the main font (its missing-glyph box) and is reported.
 */
function runsOf(text: string): Array<{ face: FaceName; text: string }> {
  const runs: Array<{ face: FaceName; text: string }> = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const found = faceFor(codePoint);
    if (!found) reportMissingGlyph(codePoint, 'pdf');
    const name = found?.name ?? 'regular';
    const last = runs.at(-1);
    if (last && last.face === name) last.text += char;
    else runs.push({ face: name, text: char });
  }
  return runs;
}

/** Places the blocks on pages of the given kind. */
function layout(blocks: readonly DocumentBlock[], style: PageStyle): Layout {
  const items: Placed[] = [];
  const left = style.marginX;
  const contentWidth = style.width - 2 * style.marginX;
  const bottom = style.height === null ? Number.POSITIVE_INFINITY : style.height - style.marginBottom;
  let page = 0;
  let y = style.marginTop;

  /** Makes room for `height`, starting a new page when the current one cannot hold it. */
  const reserve = (height: number): void => {
    if (y + height > bottom && y > style.marginTop) {
      page += 1;
      y = style.marginTop;
    }
  };
  const lineHeight = (size: number): number => size * style.leading;
  // Noto Sans SC's ascent + descent is about 1.45 em; centre that box in the line.
  const textTop = (size: number): number => (lineHeight(size) - size * 1.45) / 2;

  const textLines = (
    text: string,
    options: { weight?: FontWeight; size: number; align?: 'left' | 'center' | 'right'; x?: number; width?: number; indentEms?: number },
  ): void => {
    const weight = options.weight ?? 'regular';
    const x = options.x ?? left;
    const width = options.width ?? contentWidth;
    const indent = (options.indentEms ?? 0) * options.size;
    const measure = (part: string): number => widthOf(part, weight, options.size);
    const lines = wrapText(text, width, measure, width - indent);
    lines.forEach((line, index) => {
      reserve(lineHeight(options.size));
      const lineWidth = measure(line);
      let lineX = x + (index === 0 ? indent : 0);
      if (options.align === 'center') lineX = x + (width - lineWidth) / 2;
      if (options.align === 'right') lineX = x + width - lineWidth;
      items.push({ kind: 'text', page, x: lineX, y: y + textTop(options.size), text: line, weight, size: options.size });
      y += lineHeight(options.size);
    });
  };

  const rows = (entries: readonly Row[], labelEms = style.labelEms): void => {
    const labelWidth = labelEms * style.body;
    for (const row of entries) {
      const measure = (part: string): number => widthOf(part, 'regular', style.body);
      const valueLines = wrapText(row.value, contentWidth - labelWidth, measure);
      valueLines.forEach((line, index) => {
        reserve(lineHeight(style.body));
        const top = y + textTop(style.body);
        if (index === 0) items.push({ kind: 'text', page, x: left, y: top, text: `${row.label}：`, weight: 'regular', size: style.body });
        items.push({ kind: 'text', page, x: left + labelWidth, y: top, text: line, weight: 'regular', size: style.body });
        y += lineHeight(style.body);
      });
    }
  };

  /** Columns share the width in proportion to their longest text (at least four ems); every cell wraps in its column. */
  const table = (columns: readonly string[], rows: readonly string[][]): void => {
    const size = style.note;
    const padding = 0.3 * size;
    const measure = (part: string): number => widthOf(part, 'regular', size);
    const wants = columns.map((column, index) => Math.max(4 * size, ...[column, ...rows.map((row) => row[index] ?? '')].map((text) => Math.min(measure(text), 14 * size))));
    const total = wants.reduce((sum, want) => sum + want, 0);
    const widths = wants.map((want) => (want / total) * contentWidth);
    const drawRow = (cells: readonly string[], weight: FontWeight): void => {
      const wrapped = widths.map((width, index) => wrapText(cells[index] ?? '', width - 2 * padding, measure));
      const height = Math.max(1, ...wrapped.map((lines) => lines.length)) * lineHeight(size) + 2 * padding;
      reserve(height);
      let x = left;
      wrapped.forEach((lines, index) => {
        lines.forEach((line, lineIndex) => items.push({ kind: 'text', page, x: x + padding, y: y + padding + lineIndex * lineHeight(size) + textTop(size), text: line, weight, size }));
        items.push({ kind: 'box', page, x, y, width: widths[index] ?? 0, height });
        x += widths[index] ?? 0;
      });
      y += height;
    };
    gap(0.3);
    drawRow(columns, 'bold');
    for (const row of rows) drawRow(row, 'regular');
    gap(0.5);
  };

  const gap = (ems: number): void => {
    y += ems * style.body;
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'title':
        textLines(block.text, { weight: 'bold', size: style.title, align: 'center' });
        if (block.subtitle) textLines(block.subtitle, { size: style.subtitle, align: 'center' });
        gap(0.5);
        break;
      case 'reference':
        textLines(block.text, { size: style.body, align: 'center' });
        gap(0.5);
        break;
      case 'heading':
        gap(0.3);
        textLines(block.text, { weight: 'bold', size: style.heading });
        break;
      case 'rows':
        rows(block.rows, block.labelEms);
        break;
      case 'rule': {
        reserve(style.body);
        const middle = y + style.body / 2;
        items.push({ kind: 'line', page, x1: left, y1: middle, x2: left + contentWidth, y2: middle, dashed: true });
        y += style.body;
        break;
      }
      case 'qr': {
        const captionHeight = block.caption ? lineHeight(style.note) : 0;
        reserve(style.qrSize + captionHeight + style.body);
        gap(0.4);
        items.push({ kind: 'qr', page, x: left + (contentWidth - style.qrSize) / 2, y, size: style.qrSize, text: block.text });
        y += style.qrSize + 0.3 * style.body;
        if (block.caption) textLines(block.caption, { size: style.note, align: 'center' });
        break;
      }
      case 'note': {
        const padding = 0.4 * style.note;
        if (!block.emphasis) {
          textLines(block.text, { size: style.note });
          break;
        }
        // One em less than the box: a closing mark may hang past the wrap width and must stay inside the box.
        const innerWidth = contentWidth - 2 * padding - style.note;
        const lines = wrapText(block.text, innerWidth, (part) => widthOf(part, 'regular', style.note));
        const height = lines.length * lineHeight(style.note) + 2 * padding;
        gap(0.3);
        reserve(height);
        items.push({ kind: 'box', page, x: left, y, width: contentWidth, height });
        y += padding;
        textLines(block.text, { size: style.note, x: left + padding, width: innerWidth });
        y += padding;
        gap(0.3);
        break;
      }
      case 'highlight': {
        const height = lineHeight(style.body) + lineHeight(style.highlight) * 0.9;
        reserve(height);
        const top = y;
        textLines(block.label, { size: style.body, align: 'center' });
        y -= lineHeight(style.highlight) * 0.1;
        textLines(block.value, { weight: 'bold', size: style.highlight, align: 'center' });
        items.push({ kind: 'box', page, x: left, y: top, width: contentWidth, height: y - top });
        gap(0.5);
        break;
      }
      case 'spacer':
        gap(block.lines * style.leading);
        break;
      case 'paragraph':
        textLines(block.text, { size: style.body, indentEms: block.indent ? 2 : 0 });
        gap(0.2);
        break;
      case 'list':
        block.items.forEach((item, index) => {
          const marker = `${index + 1}. `;
          const markerWidth = widthOf(marker, 'regular', style.body);
          const firstIndex = items.length;
          textLines(item, { size: style.body, x: left + markerWidth, width: contentWidth - markerWidth });
          // The marker goes on the first line of its item, on whichever page that line landed.
          const first = items[firstIndex];
          if (first && first.kind === 'text') items.push({ ...first, x: left, text: marker.trim() });
        });
        gap(0.2);
        break;
      case 'signature': {
        const imageHeight = 16 * millimetre;
        const imageWidth = 48 * millimetre;
        gap(1);
        reserve(imageHeight + lineHeight(style.body));
        const labelWidth = widthOf(block.label, 'regular', style.body);
        const x = left + contentWidth / 2 - 10 * millimetre;
        const baseline = y + imageHeight;
        items.push({ kind: 'text', page, x, y: baseline - lineHeight(style.body) + textTop(style.body), text: block.label, weight: 'regular', size: style.body });
        items.push({ kind: 'image', page, x: x + labelWidth + 2, y, width: imageWidth, height: imageHeight, png: block.png });
        items.push({ kind: 'line', page, x1: x + labelWidth, y1: baseline, x2: x + labelWidth + imageWidth + 4, y2: baseline, dashed: false });
        y = baseline + 0.3 * style.body;
        textLines(`日期：${block.date}`, { size: style.body, x, width: left + contentWidth - x });
        break;
      }
      case 'issuer': {
        gap(1.5);
        reserve((block.lines.length + 1) * lineHeight(style.body));
        for (const line of block.lines) textLines(line, { size: style.body, align: 'right' });
        textLines(block.date, { size: style.body, align: 'right' });
        break;
      }
      case 'verification': {
        gap(1);
        reserve(style.qrSize);
        const top = y;
        items.push({ kind: 'qr', page, x: left, y: top, size: style.qrSize, text: block.text });
        const textX = left + style.qrSize + 4 * millimetre;
        y = top + (style.qrSize - block.lines.length * lineHeight(style.note)) / 2;
        for (const line of block.lines) textLines(line, { size: style.note, x: textX, width: left + contentWidth - textX });
        y = Math.max(y, top + style.qrSize);
        break;
      }
      case 'table':
        table(block.columns, block.rows);
        break;
      default:
        throw new Error(`unhandled block: ${JSON.stringify(block satisfies never)}`);
    }
  }
  return { items, pages: page + 1, lastPageHeight: y + style.marginBottom };
}

export interface PdfInfo {
  title: string;
  author: string;
  /** Fixed by the document's own date, so the same data always gives the same bytes. */
  createdAt: Date;
  /**
   * Draws what is not a block on each page (a sealed proof's watermark under the text, its seal over the
   * issuer line): `under` before the page's items, `over` after them. Given the page's placed text lines
   * (points, top-left origin) so a seal can sit on the line it stamps.
   */
  decorate?: PageDecorator;
}

/** A text line as placed on a page: position and size in points, from the page's top-left corner. */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
  size: number;
  width: number;
}

/** See PdfInfo.decorate. `page` counts from 0; width and height are in points. */
export interface PageDecorator {
  under?: (doc: PDFKit.PDFDocument, page: { index: number; width: number; height: number }) => void;
  over?: (doc: PDFKit.PDFDocument, page: { index: number; width: number; height: number; texts: PlacedText[] }) => void;
}

/** Renders blocks to a PDF: an 80 mm roll fitted to its content, or A4 pages. */
export async function renderBlocksToPdf(blocks: readonly DocumentBlock[], pageKind: PageKind, info: PdfInfo): Promise<Buffer> {
  const style = styles[pageKind];
  const placed = layout(blocks, style);
  const pageHeight = style.height ?? Math.ceil(placed.lastPageHeight);
  const fonts = loadFonts();
  const doc = new PDFDocument({
    size: [style.width, pageHeight],
    margin: 0,
    autoFirstPage: false,
    info: { Title: info.title, Author: info.author, Creator: 'taian-hall-kiosk', Producer: 'taian-hall-kiosk', CreationDate: info.createdAt, ModDate: info.createdAt },
    lang: 'zh-CN',
    displayTitle: true,
    // No default Helvetica: pdfkit would parse its AFM metrics for every document (and embed a font object no
    // document uses); every text here sets its own face first (useFace, the decorators' font('regular')).
    // pdfkit's initFonts skips a null default; its types only know a font name.
    font: null as unknown as string,
  });
  // pdfkit's types accept a path or bytes; it also takes a parsed fontkit font (see fonts.ts). Fallback
  // faces are registered when a line first needs one, so a document without rare characters embeds one font.
  doc.registerFont('regular', fonts.regular as unknown as Buffer);
  const registered = new Set<FaceName>(['regular']);
  const useFace = (name: FaceName): void => {
    if (!registered.has(name)) doc.registerFont(name, face(name).font as unknown as Buffer);
    registered.add(name);
    doc.font(name);
  };
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  for (let page = 0; page < placed.pages; page += 1) {
    doc.addPage({ size: [style.width, pageHeight], margin: 0 });
    const frame = { index: page, width: style.width, height: pageHeight };
    info.decorate?.under?.(doc, frame);
    for (const item of placed.items) {
      if (item.page !== page) continue;
      draw(doc, item, useFace);
    }
    if (info.decorate?.over) {
      const texts = placed.items.flatMap((item): PlacedText[] =>
        item.kind === 'text' && item.page === page ? [{ text: item.text, x: item.x, y: item.y, size: item.size, width: widthOf(item.text, item.weight, item.size) }] : [],
      );
      info.decorate.over(doc, { ...frame, texts });
    }
  }
  doc.end();
  return finished;
}

/** Stroke width of synthetic bold, in ems: about one 203-dpi thermal dot at receipt title sizes. */
const BOLD_STROKE_EM = 0.04;

function draw(doc: PDFKit.PDFDocument, item: Placed, useFace: (name: FaceName) => void): void {
  switch (item.kind) {
    case 'text': {
      let x = item.x;
      for (const run of runsOf(item.text)) {
        useFace(run.face);
        doc.fontSize(item.size).fillColor('black');
        if (item.weight === 'bold') {
          // Bold is the regular outline filled and stroked (text render mode 2): a second embedded weight
          // would cost a whole extra font subset in every receipt (about 3 KB and a third of the render time).
          doc.save().lineWidth(item.size * BOLD_STROKE_EM).strokeColor('black');
          doc.text(run.text, x, item.y, { lineBreak: false, fill: true, stroke: true });
          doc.restore();
        } else {
          doc.text(run.text, x, item.y, { lineBreak: false });
        }
        x += widthOf(run.text, item.weight, item.size);
      }
      return;
    }
    case 'line':
      doc.save().lineWidth(0.6).strokeColor('black');
      if (item.dashed) doc.dash(2, { space: 2 });
      doc.moveTo(item.x1, item.y1).lineTo(item.x2, item.y2).stroke().undash().restore();
      return;
    case 'box':
      doc.save().lineWidth(0.8).strokeColor('black').rect(item.x, item.y, item.width, item.height).stroke().restore();
      return;
    case 'qr':
      drawQr(doc, item.text, item.x, item.y, item.size);
      return;
    case 'image':
      doc.image(Buffer.from(item.png), item.x, item.y, { fit: [item.width, item.height], valign: 'bottom' });
      return;
    default:
      throw new Error(`unhandled item: ${JSON.stringify(item satisfies never)}`);
  }
}

/**
 * Texts at least this long are encoded as one byte-mode segment. qrcode's segment optimiser (Dijkstra over every
 * numeric/alphanumeric/byte split) costs about 5 ms on a sealed proof's 250-character URL (`#seal=` + lowercase
 * hex, which is byte mode anyway) and gains nothing there (version 11 either way); short URLs keep the optimiser.
 */
const BYTE_MODE_FROM = 120;

/** Draws a QR code as vector squares (crisp at any printer resolution), one filled path per code. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text.length >= BYTE_MODE_FROM ? [{ data: Buffer.from(text, 'utf8'), mode: 'byte' }] : text, { errorCorrectionLevel: 'M' });
  const module = size / modules.size;
  doc.save().fillColor('black');
  for (let row = 0; row < modules.size; row += 1) {
    let column = 0;
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < modules.size && modules.get(row, column)) column += 1;
      // A hair of overlap so anti-aliasing viewers draw no seams between runs.
      doc.rect(x + start * module, y + row * module, (column - start) * module + 0.05, module + 0.05);
    }
  }
  doc.fill().restore();
}
