/**
 * Formats in, records out: parsers that turn user documents into ontology records, or refuse them
 * with a {@link org.plumbline.loaders.LoaderError} listing every problem. The contract's own
 * formats (blueprints, snapshots, change requests, prompts, metric samples) have their parsers;
 * {@link org.plumbline.loaders.DocumentLoader} reads those and the formats teams already have
 * (Terraform, Kubernetes, LiteLLM, OTLP GenAI spans, flagd, LaunchDarkly, ServiceNow, Langfuse,
 * MLflow), whose readers live in {@code internal.<format>}. Nothing else is thrown for bad input.
 */
package org.plumbline.loaders;
