package org.plumbline.rules.pack;

import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.Tier;

/**
 * A question to the metric thresholds decision table ({@code metric-thresholds.drl.csv}): tier in,
 * the thresholds of behavioural drift detection out. {@code null} means "not decided"; {@link
 * org.plumbline.rules.RulePack#metricPolicy} refuses a pack that leaves any field undecided.
 */
public final class MetricThresholds {
  private final Tier tier;
  private Double psiModerate;
  private Double psiSignificant;
  private Double psiCritical;
  private Double ksStatistic;
  // a bean property named pValue would read back as "PValue" (JavaBeans decapitalisation)
  private Double significanceLevel;
  private Integer minSampleSize;
  private Integer persistenceWindows;
  private Integer closingWindows;
  private Integer cooldownWindows;
  private Integer psiBins;
  private Double psiEpsilon;

  public MetricThresholds(Tier tier) {
    this.tier = tier;
  }

  public Tier getTier() {
    return tier;
  }

  /** The names of the fields the pack left undecided, in declaration order. */
  public List<String> undecided() {
    List<String> missing = new ArrayList<>();
    if (psiModerate == null) {
      missing.add("psiModerate");
    }
    if (psiSignificant == null) {
      missing.add("psiSignificant");
    }
    if (psiCritical == null) {
      missing.add("psiCritical");
    }
    if (ksStatistic == null) {
      missing.add("ksStatistic");
    }
    if (significanceLevel == null) {
      missing.add("significanceLevel");
    }
    if (minSampleSize == null) {
      missing.add("minSampleSize");
    }
    if (persistenceWindows == null) {
      missing.add("persistenceWindows");
    }
    if (closingWindows == null) {
      missing.add("closingWindows");
    }
    if (cooldownWindows == null) {
      missing.add("cooldownWindows");
    }
    if (psiBins == null) {
      missing.add("psiBins");
    }
    if (psiEpsilon == null) {
      missing.add("psiEpsilon");
    }
    return missing;
  }

  public Double getPsiModerate() {
    return psiModerate;
  }

  public void setPsiModerate(Double psiModerate) {
    this.psiModerate = psiModerate;
  }

  public Double getPsiSignificant() {
    return psiSignificant;
  }

  public void setPsiSignificant(Double psiSignificant) {
    this.psiSignificant = psiSignificant;
  }

  public Double getPsiCritical() {
    return psiCritical;
  }

  public void setPsiCritical(Double psiCritical) {
    this.psiCritical = psiCritical;
  }

  public Double getKsStatistic() {
    return ksStatistic;
  }

  public void setKsStatistic(Double ksStatistic) {
    this.ksStatistic = ksStatistic;
  }

  /** The p-value a window's test must fall below: {@code MetricPolicy.pValue}. */
  public Double getSignificanceLevel() {
    return significanceLevel;
  }

  public void setSignificanceLevel(Double significanceLevel) {
    this.significanceLevel = significanceLevel;
  }

  public Integer getMinSampleSize() {
    return minSampleSize;
  }

  public void setMinSampleSize(Integer minSampleSize) {
    this.minSampleSize = minSampleSize;
  }

  public Integer getClosingWindows() {
    return closingWindows;
  }

  public void setClosingWindows(Integer closingWindows) {
    this.closingWindows = closingWindows;
  }

  public Integer getPersistenceWindows() {
    return persistenceWindows;
  }

  public void setPersistenceWindows(Integer persistenceWindows) {
    this.persistenceWindows = persistenceWindows;
  }

  public Integer getCooldownWindows() {
    return cooldownWindows;
  }

  public void setCooldownWindows(Integer cooldownWindows) {
    this.cooldownWindows = cooldownWindows;
  }

  public Integer getPsiBins() {
    return psiBins;
  }

  public void setPsiBins(Integer psiBins) {
    this.psiBins = psiBins;
  }

  public Double getPsiEpsilon() {
    return psiEpsilon;
  }

  public void setPsiEpsilon(Double psiEpsilon) {
    this.psiEpsilon = psiEpsilon;
  }
}
