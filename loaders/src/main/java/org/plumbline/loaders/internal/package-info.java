/** Internals of the loaders; no other module imports this package. */
package org.plumbline.loaders.internal;
