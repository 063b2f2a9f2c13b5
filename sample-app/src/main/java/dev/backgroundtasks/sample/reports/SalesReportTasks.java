package dev.backgroundtasks.sample.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskSchedule;
import dev.backgroundtasks.sample.reports.SalesReport.DailySales;

import org.springframework.stereotype.Component;

/**
 * Builds sales reports. The figures are made up, but stable: the same region and day always give the
 * same numbers. The report also runs every weekday at 09:00 London time, with the default params.
 */
@Component
public class SalesReportTasks {

	private static final int MAX_DAYS = 366;

	private final Clock clock = Clock.systemUTC();

	@BackgroundTask(name = "sales-report", description = "Sums the sales of a region over the last days",
			tags = "reports")
	@TaskSchedule(cron = "0 9 * * 1-5", zone = "Europe/London")
	public SalesReport salesReport(@TaskParam(defaultValue = "EMEA", description = "The sales region") String region,
			@TaskParam(defaultValue = "7", description = "How many days, up to yesterday (1 to 366)") int days) {
		if (days < 1 || days > MAX_DAYS) {
			throw new IllegalArgumentException("days must be between 1 and " + MAX_DAYS + ", got " + days);
		}
		LocalDate to = LocalDate.now(this.clock).minusDays(1);
		LocalDate from = to.minusDays(days - 1L);
		List<DailySales> sales = new ArrayList<>();
		for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
			sales.add(salesOn(region, date));
		}
		BigDecimal total = sales.stream().map(DailySales::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
		return new SalesReport(region, from, to, sales, total);
	}

	private static DailySales salesOn(String region, LocalDate date) {
		Random random = new Random(31L * region.hashCode() + date.toEpochDay());
		int orders = 20 + random.nextInt(80);
		BigDecimal revenue = BigDecimal.valueOf(orders * (15.0 + random.nextDouble() * 60.0))
			.setScale(2, RoundingMode.HALF_UP);
		return new DailySales(date, orders, revenue);
	}

}
