package org.plumbline.server.export;

import com.openhtmltopdf.extend.FSSupplier;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.pdfbox.pdmodel.font.FontMappers;

/**
 * The evidence pack as a PDF: the evidence report's own XHTML, laid out on A4 pages by
 * openhtmltopdf (its {@code @page} rules give the running header and the page numbers), with the
 * DejaVu fonts shipped in this jar embedded, so it prints and reads the same on any machine and
 * nothing is fetched while rendering.
 */
public final class EvidencePdf {
  static final String FONTS = "/org/plumbline/server/export/fonts/";

  static {
    // The renderer logs through java.util.logging at INFO by default: quiet, like the server.
    XRLog.setLoggingEnabled(false);
    FontMappers.set(new ShippedFontMapper());
  }

  private EvidencePdf() {}

  /** Renders the evidence report (well-formed XHTML, as {@link EvidenceReport} writes it). */
  public static byte[] render(String xhtml) {
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    try {
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.useFastMode();
      builder.withProducer("Plumbline");
      // PDF/A-2u, the archival profile: every font embedded (the renderer then offers none of the
      // 14 standard PDF fonts, which PDFBox would otherwise look for among the system's fonts),
      // text extractable as Unicode, colours in the sRGB profile the JDK ships
      builder.usePdfAConformance(PdfRendererBuilder.PdfAConformance.PDFA_2_U);
      builder.useColorProfile(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
      font(builder, "DejaVuSans.ttf", "DejaVu Sans", 400);
      font(builder, "DejaVuSans-Bold.ttf", "DejaVu Sans", 700);
      font(builder, "DejaVuSansMono.ttf", "DejaVu Sans Mono", 400);
      // no base URI: the report links to nothing, so the renderer has nothing to fetch
      builder.withHtmlContent(xhtml, null);
      builder.toStream(pdf);
      builder.run();
    } catch (IOException e) {
      throw new UncheckedIOException("the evidence report did not render as a PDF", e);
    }
    return pdf.toByteArray();
  }

  private static void font(PdfRendererBuilder b, String file, String family, int weight) {
    FSSupplier<InputStream> supplier =
        () -> {
          InputStream in = EvidencePdf.class.getResourceAsStream(FONTS + file);
          if (in == null) {
            throw new UncheckedIOException(new IOException("font " + file + " is not in the jar"));
          }
          return in;
        };
    // subset: only the glyphs the report uses are embedded
    b.useFont(supplier, family, weight, FontStyle.NORMAL, true);
  }
}
