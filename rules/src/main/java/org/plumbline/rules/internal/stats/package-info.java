/**
 * The statistics behind behavioural drift: two-sample Kolmogorov-Smirnov, chi-square homogeneity
 * and the population stability index. Pure functions over arrays; no other module imports this
 * package.
 */
package org.plumbline.rules.internal.stats;
