package org.plumbline.ontology;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version {@code MAJOR.MINOR.PATCH[-PRERELEASE]}, ordered as semver 2.0 orders them. */
public record SemVer(long major, long minor, long patch, String preRelease)
    implements Comparable<SemVer> {
  private static final Pattern FORMAT =
      Pattern.compile(
          "(0|[1-9][0-9]{0,17})\\.(0|[1-9][0-9]{0,17})\\.(0|[1-9][0-9]{0,17})(?:-([0-9A-Za-z.-]+))?");

  /** Parses a version, or throws {@link IllegalArgumentException} naming the bad text. */
  public static SemVer parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "not a semantic version MAJOR.MINOR.PATCH: '" + text + "'");
    }
    return new SemVer(
        Long.parseLong(m.group(1)),
        Long.parseLong(m.group(2)),
        Long.parseLong(m.group(3)),
        m.group(4));
  }

  public static boolean isValid(String text) {
    return text != null && FORMAT.matcher(text).matches();
  }

  /** The next patch version, without pre-release. */
  public SemVer nextPatch() {
    return new SemVer(major, minor, patch + 1, null);
  }

  @Override
  public int compareTo(SemVer o) {
    int c = Long.compare(major, o.major);
    if (c == 0) c = Long.compare(minor, o.minor);
    if (c == 0) c = Long.compare(patch, o.patch);
    if (c != 0) return c;
    if (preRelease == null || o.preRelease == null) {
      // A release ranks above its pre-releases.
      return preRelease == null ? (o.preRelease == null ? 0 : 1) : -1;
    }
    return comparePreRelease(preRelease, o.preRelease);
  }

  private static int comparePreRelease(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].matches("[0-9]+");
      boolean yn = y[i].matches("[0-9]+");
      int c;
      if (xn && yn) {
        c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
      } else if (xn != yn) {
        c = xn ? -1 : 1;
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease);
  }
}
