/**
 * The invoice commands every benchmark sends: {@link io.eventfold.benchmarks.workload.InvoiceWorkload}.
 */
package io.eventfold.benchmarks.workload;
