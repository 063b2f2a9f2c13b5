package dev.backgroundtasks.registry;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RateLimit}: a count and a period, read strictly.
 */
class RateLimitTests {

	@ParameterizedTest
	@CsvSource({ "10/1s, 10, PT1S", "100/1m, 100, PT1M", "5000/1h, 5000, PT1H", "3/PT30S, 3, PT30S",
			"' 7/250ms ', 7, PT0.25S", "1/1d, 1, PT24H" })
	void readsACountAndAPeriod(String text, int count, Duration period) {
		RateLimit rate = RateLimit.parse(text);
		assertThat(rate.count()).isEqualTo(count);
		assertThat(rate.period()).isEqualTo(period);
		assertThat(rate).hasToString(text.trim());
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "10", "10/", "/1s", "ten/1s", "10 / 1s", "-1/1s", "10/1s/2", "10 per second",
			"10/fortnight", "1.5/1s" })
	void refusesWhatIsNotARate(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse(text)).withMessageContaining(text.trim());
	}

	@ParameterizedTest
	@ValueSource(strings = { "0/1s", "3000000000/1s" })
	void refusesACountOutsideOneToIntMax(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse(text))
			.withMessageContaining("count must be from 1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "5/0s", "5/0ms", "5/-1s" })
	void refusesAPeriodShorterThanAMillisecond(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse(text)).withMessageContaining(text);
	}

}
