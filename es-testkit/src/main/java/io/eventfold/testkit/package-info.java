/**
 * Given-when-then fixtures for Eventfold aggregates.
 */
package io.eventfold.testkit;
