package dev.backgroundtasks.it.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for browser tests, and whether they run ({@link Available}): with Debian's {@code chromium} and
 * {@code chromium-driver} installed they do; without them they are skipped, or fail when
 * {@code BGT_TEST_REQUIRE_BROWSER=true}, so that CI cannot skip them silently. Wraps one headless
 * Chromium with what the tests read: the console (every error, a Content-Security-Policy violation or a
 * failed request included) and screenshots.
 */
public final class Browser implements AutoCloseable {

	private static final boolean required = Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_BROWSER"));

	private static final String CHROMIUM = System.getProperty("bgt.chromium", "/usr/bin/chromium");

	private static final String DRIVER = System.getProperty("bgt.chromedriver", "/usr/bin/chromedriver");

	/** Where the screenshots go; the README shows some of them. */
	static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

	private final ChromeDriver driver;

	/**
	 * Starts a headless Chromium, as the machine allows it: no sandbox (tests may run as root), no
	 * background networking (the machine has no internet).
	 */
	public Browser() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1280,900", "--lang=en-US");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
	}

	/**
	 * Skips a test class when Chromium is absent, or fails it when {@code BGT_TEST_REQUIRE_BROWSER=true}.
	 */
	public static final class Available implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			if (available()) {
				return ConditionEvaluationResult.enabled("Chromium at " + CHROMIUM);
			}
			if (required) {
				throw new IllegalStateException("BGT_TEST_REQUIRE_BROWSER=true but " + CHROMIUM + " or " + DRIVER
						+ " is missing: apt-get install -y --no-install-recommends chromium chromium-driver");
			}
			return ConditionEvaluationResult.disabled("No Chromium: install chromium and chromium-driver");
		}

	}

	private static boolean available() {
		return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(DRIVER));
	}

	public WebDriver driver() {
		return this.driver;
	}

	public Browser open(String url) {
		this.driver.get(url);
		return this;
	}

	public WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	public List<WebElement> findAll(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	public WebDriverWait waiting(Duration timeout) {
		return new WebDriverWait(this.driver, timeout);
	}

	/**
	 * @return the console's errors since the last call (reading the log empties it)
	 */
	public List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	/** Empties the console's log. */
	public void clearConsole() {
		consoleErrors();
	}

	/**
	 * @param name the screenshot's file name, without extension
	 * @return where it was written
	 */
	public Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			File taken = this.driver.getScreenshotAs(OutputType.FILE);
			Path target = SCREENSHOTS.resolve(name + ".png");
			Files.copy(taken.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write screenshot " + name, ex);
		}
	}

	/**
	 * @param script a script run in the page, for what the DOM alone cannot tell
	 * @return its result
	 */
	public Object script(String script) {
		return this.driver.executeScript(script);
	}

	/**
	 * @param script a script run in the page that ends by calling its last argument with the result
	 * @return that result
	 */
	public Object asyncScript(String script) {
		this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
		return this.driver.executeAsyncScript(script);
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
