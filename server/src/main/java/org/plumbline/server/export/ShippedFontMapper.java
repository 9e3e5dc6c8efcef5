package org.plumbline.server.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.fontbox.FontBoxFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.font.CIDFontMapping;
import org.apache.pdfbox.pdmodel.font.FontMapper;
import org.apache.pdfbox.pdmodel.font.FontMapping;
import org.apache.pdfbox.pdmodel.font.PDCIDSystemInfo;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

/**
 * PDFBox's answer when it is asked for a font that is not in the document: DejaVu Sans, shipped in
 * this jar. The renderer asks for two standard fonts (Helvetica and ZapfDingbats, for form fields
 * the report never has); PDFBox's own mapper would then scan the machine's fonts, write a cache
 * into the home folder and log a warning per font. Nothing is drawn with them: the report's text is
 * set in the embedded DejaVu fonts.
 */
final class ShippedFontMapper implements FontMapper {
  private TrueTypeFont font;

  private synchronized TrueTypeFont font() {
    if (font == null) {
      try (InputStream in =
          ShippedFontMapper.class.getResourceAsStream(EvidencePdf.FONTS + "DejaVuSans.ttf")) {
        font = new TTFParser().parse(new RandomAccessReadBuffer(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return font;
  }

  @Override
  public FontMapping<TrueTypeFont> getTrueTypeFont(String baseFont, PDFontDescriptor descriptor) {
    return new FontMapping<>(font(), false);
  }

  @Override
  public FontMapping<FontBoxFont> getFontBoxFont(String baseFont, PDFontDescriptor descriptor) {
    return new FontMapping<>(font(), false);
  }

  @Override
  public CIDFontMapping getCIDFont(
      String baseFont, PDFontDescriptor descriptor, PDCIDSystemInfo cidSystemInfo) {
    return new CIDFontMapping(null, font(), false);
  }
}
