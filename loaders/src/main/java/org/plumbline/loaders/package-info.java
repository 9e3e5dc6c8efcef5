/**
 * Formats in, records out: parsers that turn user documents (blueprints, snapshots, change
 * requests, metric samples) into ontology records, or refuse them with a {@link
 * org.plumbline.loaders.LoaderError} listing every problem. Nothing else is thrown for bad input.
 */
package org.plumbline.loaders;
