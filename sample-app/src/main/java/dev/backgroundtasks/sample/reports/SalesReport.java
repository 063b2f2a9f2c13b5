package dev.backgroundtasks.sample.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The result of the {@code sales-report} task.
 *
 * @param region the sales region
 * @param from the first day of the period
 * @param to the last day of the period
 * @param days the sales of each day, oldest first
 * @param total the sum over the period
 */
public record SalesReport(String region, LocalDate from, LocalDate to, List<DailySales> days, BigDecimal total) {

	public SalesReport {
		days = List.copyOf(days);
	}

	/**
	 * The sales of one day.
	 *
	 * @param date the day
	 * @param orders how many orders were placed
	 * @param revenue their revenue
	 */
	public record DailySales(LocalDate date, int orders, BigDecimal revenue) {
	}

}
