package org.plumbline.ontology;

/** Where a disposition request stands. */
public enum DispositionStatus {
  PENDING,
  APPROVED,
  REJECTED
}
