package org.plumbline.rules.internal.stats;

/**
 * A test's statistic and its p-value.
 *
 * @param statistic the test statistic
 * @param pValue the probability, under the null hypothesis, of a statistic at least this large
 */
public record TestStatistic(double statistic, double pValue) {}
