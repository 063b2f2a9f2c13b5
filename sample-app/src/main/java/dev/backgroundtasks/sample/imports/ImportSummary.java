package dev.backgroundtasks.sample.imports;

/**
 * What an import did.
 *
 * @param rows the rows in the file
 * @param imported the rows stored
 * @param rejected the rows that failed validation
 */
public record ImportSummary(int rows, int imported, int rejected) {
}
