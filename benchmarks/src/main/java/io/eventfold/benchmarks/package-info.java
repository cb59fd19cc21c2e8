/**
 * Benchmarks of Eventfold.
 */
package io.eventfold.benchmarks;
