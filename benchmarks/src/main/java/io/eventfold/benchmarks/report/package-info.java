/**
 * What a run measured and how it is written down: {@link io.eventfold.benchmarks.report.Results},
 * as JSON, a Markdown table and an SVG chart.
 */
package io.eventfold.benchmarks.report;
