package io.eventfold.examples.invoices.app;

import io.eventfold.examples.invoices.InvoicesApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web page in headless Chromium, driven through the system's chromedriver (Debian packages
 * {@code chromium} and {@code chromium-driver}; nothing is downloaded): an invoice's life, a
 * rejection, an invoice that goes OVERDUE on its own, the customer's balance, the rates strip, and
 * a create sent again after a 504. The page's messages are part of every failure.
 * Saves screenshots for the docs.
 */
class InvoicesBrowserIT {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @TempDir
    static Path dataDir;

    static InvoicesApp app;
    static WebDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = CHROMIUM.exists() && CHROMEDRIVER.exists();
        // CI installs both and must run this test; a developer machine without them skips it.
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(installed, "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        }
        assertThat(installed).as("Chromium and chromedriver are installed (apt-get install chromium chromium-driver)").isTrue();
        app = InvoicesApp.start(AppConfig.forTests(dataDir));
        ReadyProbe.awaitReady(app.url(), Duration.ofSeconds(120));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private static WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    private static void type(String css, String text) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(text);
    }

    private static void awaitText(String css, String text) {
        awaitText(wait, css, text);
    }

    /** Waits for the text; when it does not come, the failure says what the page's messages said instead. */
    private static void awaitText(WebDriverWait within, String css, String text) {
        try {
            within.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        } catch (TimeoutException e) {
            throw new AssertionError("no \"" + text + "\" in " + css + "; the page's messages: " + messages(), e);
        }
    }

    private static List<String> messages() {
        return browser.findElements(By.cssSelector(".message")).stream()
                .map(message -> message.getAttribute("data-for") + ": " + message.getAttribute("textContent")).toList();
    }

    /** The whole "owed" cell of the account's row: "420.00 EUR" contains "0.00 EUR", so nothing less will do. */
    private static void awaitOwed(String accountId, String owed) {
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#account-rows tr[data-account='" + accountId + "'] td.owed"), owed));
    }

    @Test
    void shouldCreateFillSendAndPayAnInvoiceAndShowARejection() throws Exception {
        browser.get(app.url());
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
        // The status strip: both projections green once they are at the end of their topics.
        awaitText("#projections .projection.ok[data-name=invoice-list]", "invoice-list g1: running");
        awaitText("#projections .projection.ok[data-name=invoice-history]", "invoice-history g1: running");
        awaitText("#projections .projection.ok[data-name=account-balances]", "account-balances g1: running");

        // Who the page acts as: sent as X-User with every command, kept by the page for the next visit.
        type("#acting-as", "Ada");
        find("#new-invoice").click();
        type("#create-form input[name=name]", "Ada Lovelace");
        type("#create-form input[name=email]", "ada@example.com");
        find("#create-form button[type=submit]").click();
        // Ready, Kafka Streams holds its tasks; still, the first command can outlast the gateway's 10 s
        // under a loaded build (a topology's first transaction), so the page sends it again after a
        // 504 (same key: created once); every later step is given 20 s.
        awaitText(new WebDriverWait(browser, Duration.ofSeconds(90)), "#d-status", "DRAFT");

        find("#send").click();
        awaitText(".message[data-for=command]", "an invoice without line items cannot be sent (INVOICE_EMPTY)");

        type("#line-form input[name=description]", "Analytical engine tuning");
        type("#line-form input[name=quantity]", "3");
        type("#line-form input[name=unitPrice]", "120.00");
        find("#line-form button").click();
        awaitText("#d-total", "360.00");
        type("#line-form input[name=description]", "Punched cards");
        type("#line-form input[name=quantity]", "200");
        type("#line-form input[name=unitPrice]", "0.25");
        type("#line-form input[name=taxRate]", "0.20");
        find("#line-form button").click();
        awaitText("#d-total", "420.00");
        awaitText("#d-lines", "20 %");

        find("#send").click();
        awaitText("#d-status", "SENT");
        awaitText("#invoice-rows", "SENT");
        // Charged to the customer's account by the process manager, shown live.
        awaitOwed("ada@example.com", "420.00 EUR");

        type("#pay-form input[name=amount]", "400.00");
        find("#pay-form button").click();
        awaitText(".message[data-for=command]", "PAYMENT_AMOUNT_MISMATCH");
        saveScreenshot("invoices-rejection.png");

        // The payment is recorded by someone else.
        type("#acting-as", "Charles");
        type("#pay-form input[name=amount]", "420.00");
        find("#pay-form button").click();
        awaitText("#d-status", "PAID");
        awaitText("#invoice-rows", "PAID");
        awaitText("#d-history", "InvoicePaid");
        awaitText("#d-history li:first-child", "by Ada");
        awaitText("#d-history li:last-child", "by Charles");
        assertThat(browser.findElements(By.cssSelector("#d-history .user"))).extracting(WebElement::getText)
                .containsExactly("Ada", "Ada", "Ada", "Ada", "Charles");

        assertThat(find("#invoice-rows").getText()).contains("Ada Lovelace", "420.00 EUR", "PAID");
        assertThat(find("#d-version").getText()).isEqualTo("version 5");
        // A paid invoice offers no more changes.
        assertThat(browser.findElement(By.id("line-form")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("pay-form")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("cancel-form")).isDisplayed()).isFalse();
        awaitOwed("ada@example.com", "0.00 EUR");
        // The rates strip reads /metrics every 2 s: at least the invoice's five accepted commands are counted.
        wait.until(driver -> Double.parseDouble(driver.findElement(By.cssSelector("#rates [data-meter=accepted] .count")).getText()) >= 5);
        assertThat(find("#rates [data-meter=rejected] .count").getText()).as("the payment of the wrong amount").isNotEqualTo("0");

        // An invoice due yesterday: once sent, its overdue deadline fires and the page shows it OVERDUE, nobody clicking.
        find("#new-invoice").click();
        type("#create-form input[name=name]", "Ada Lovelace");
        type("#create-form input[name=email]", "ada@example.com");
        find("#due-yesterday").click();
        find("#create-form button[type=submit]").click();
        awaitText("#d-status", "DRAFT");
        type("#line-form input[name=description]", "Difference engine repairs");
        type("#line-form input[name=quantity]", "1");
        type("#line-form input[name=unitPrice]", "250.00");
        find("#line-form button").click();
        awaitText("#d-total", "250.00");
        find("#send").click();
        awaitText("#d-status", "OVERDUE");
        awaitText("#invoice-rows", "OVERDUE");
        awaitText("#d-dates", "overdue since");
        awaitText("#d-history li:last-child", "InvoiceOverdue");
        awaitText("#d-history li:last-child", "by the deadline overdue · scheduled by Charles");
        awaitOwed("ada@example.com", "250.00 EUR");
        // Overdue, it can still be paid or written off.
        assertThat(find("#pay-form").isDisplayed()).isTrue();
        assertThat(find("#cancel-form").isDisplayed()).isTrue();
        saveScreenshot("invoices.png");

        browser.navigate().refresh();
        assertThat(find("#acting-as").getAttribute("value")).as("the name outlives a reload").isEqualTo("Charles");
    }

    @Test
    void shouldSendACreateAgainWithTheSameKeyWhenItsAnswerIsLost() {
        browser.get(app.url());
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
        // The create is handled, but its answer is replaced by the 504 a gateway gives when its wait
        // runs out first (as for the first command after a start): the page must send it again as
        // the same command, not give up and not create a second invoice.
        ((JavascriptExecutor) browser).executeScript("""
                const realFetch = window.fetch;
                window.creates = [];
                window.fetch = async (url, init) => {
                  if (url !== '/api/invoices' || !init || init.method !== 'POST') return realFetch(url, init);
                  window.creates.push({ key: init.headers['Idempotency-Key'], invoiceId: JSON.parse(init.body).invoiceId });
                  const response = await realFetch(url, init);
                  if (window.creates.length > 1) return response;
                  return new Response(JSON.stringify({ error: 'TIMEOUT', message: 'no result in time', commandId: init.headers['Idempotency-Key'] }),
                    { status: 504, headers: { 'Content-Type': 'application/json', 'Retry-After': '1' } });
                };""");
        find("#new-invoice").click();
        type("#create-form input[name=name]", "Grace Hopper");
        type("#create-form input[name=email]", "grace@example.com");
        find("#create-form button[type=submit]").click();
        awaitText(new WebDriverWait(browser, Duration.ofSeconds(90)), "#d-status", "DRAFT");

        @SuppressWarnings("unchecked")
        List<Map<String, String>> creates = (List<Map<String, String>>) ((JavascriptExecutor) browser).executeScript("return window.creates");
        assertThat(creates).as("sent twice: the lost answer, then the one shown").hasSize(2);
        assertThat(creates.get(1)).as("the second is the same command for the same invoice").isEqualTo(creates.get(0));
        assertThat(find("#d-id").getText()).isEqualTo(creates.get(0).get("invoiceId"));
        assertThat(find("#d-version").getText()).as("answered with the first's result, not created again").isEqualTo("version 1");
        assertThat(messages()).anySatisfy(message -> assertThat(message).startsWith("create: No answer in time; command " + creates.get(0).get("key"))
                .endsWith("Sending it again (1 of 5)."));
    }

    /** Into target/screenshots; docs/images holds copies from such a run. */
    private static void saveScreenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path images = Path.of("target", "screenshots");
        Files.createDirectories(images);
        Files.copy(shot.toPath(), images.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
