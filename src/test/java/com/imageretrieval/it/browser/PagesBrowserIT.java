package com.imageretrieval.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.it.ItHarness;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser: the system's headless Chromium (Debian packages chromium and chromium-driver) driven
 * by Selenium against the WAR on Payara Micro, with the generated colour dataset and the designed colour model of
 * the API suite. Screenshots of each state go to target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesBrowserIT {

    private static final String TOKEN = "pages-admin-token-" + UUID.randomUUID();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Path CHROMIUM = Path.of(System.getProperty("it.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("it.chromedriver", "/usr/bin/chromedriver"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Path work;
    private static Path dataset;
    private static Path shots;
    private static ItHarness server;
    private static ChromeDriverService service;
    private static ChromeDriver driver;
    private static int images;
    private static int bulk;

    /** Console entries this test expects (e.g. the browser's own line for a 415 answer); anything else fails. */
    private final List<Pattern> expectedConsole = new ArrayList<>();

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        // Fail before the server's minute of start-up when the browser is missing (CI installs both packages).
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " missing: apt-get install chromium chromium-driver");
        assertTrue(Files.isExecutable(CHROMEDRIVER), CHROMEDRIVER + " missing: apt-get install chromium-driver");
        work = Path.of(System.getProperty("it.work", "target/it")).resolve("PagesBrowserIT").toAbsolutePath();
        Files.createDirectories(work);
        dataset = work.resolve("dataset");
        Path artifacts = work.resolve("artifacts");
        ItHarness.deleteTree(dataset);
        ItHarness.deleteTree(artifacts);
        ItHarness.generateDataset(dataset, 7);
        images = ItHarness.labels().size() * ItHarness.perClass();
        Path model = ItHarness.colourModel(work.resolve("colour.onnx"));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATASET_DIR", dataset.toString());
        env.put("MODEL_PATH", model.toString());
        env.put("ARTIFACTS_DIR", artifacts.toString());
        env.put("ADMIN_TOKEN", TOKEN);
        env.put("REINDEX_SCHEDULE", "off"); // builds only at first start and on the admin's request
        env.put("TOP_K", "12");
        env.put("MAX_FILE_MB", "1"); // a 2 MB file is "too large" (theAdminPageListsTheFailedFilesOfTheLastBuild)
        // text search on (issue 14): a generated text encoder that knows the dataset's colour words
        env.putAll(ItHarness.textSearchEnvironment(work.resolve("text"), model));
        server = ItHarness.payara(work);
        server.start(env, START_TIMEOUT);
        awaitIndexed(images, Duration.ofMinutes(3));

        shots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        startBrowser();
    }

    private static void startBrowser() throws IOException {
        // The driver path is given, so Selenium Manager has nothing to look up; and it must not report statistics.
        System.setProperty("SE_AVOID_STATS", "true");
        Path profile = work.resolve("chromium-profile-" + UUID.randomUUID());
        Files.createDirectories(profile);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(work.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-extensions", "--lang=en-US", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopAll() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void desktop() {
        emulateWidth(0);
    }

    /**
     * Every test ends with a clean console: no error the test did not expect, and never a Content-Security-Policy
     * violation (a page that needs inline script or style, or loads from elsewhere, is reported there).
     */
    @AfterEach
    void consoleIsClean() {
        List<String> unexpected = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            boolean bad = e.getLevel().intValue() >= Level.SEVERE.intValue();
            if (e.getMessage().contains("Content Security Policy")) {
                unexpected.add("CSP violation: " + e.getMessage());
            } else if (bad && expectedConsole.stream().noneMatch(p -> p.matcher(e.getMessage()).find())) {
                unexpected.add(e.getLevel() + " " + e.getMessage());
            }
        }
        assertTrue(unexpected.isEmpty(), "browser console errors: " + unexpected);
    }

    @Test
    @Order(1)
    void homePageShowsTheLiveStatistics() throws Exception {
        home();
        WebElement count = driver.findElement(By.id("stat-images"));
        waitFor("the image count", () -> count.getText().equals(Integer.toString(images)));
        assertEquals(Integer.toString(ItHarness.dimension()), text("#stat-dimension"));
        assertEquals("cpu", text("#stat-device"));
        assertFalse(text("#stat-generated").isBlank());
        assertNotEquals("—", text("#stat-generated"));
        // One bar per class, in the API's order, each with its count.
        List<WebElement> bars = driver.findElements(By.cssSelector("#class-chart li"));
        assertEquals(ItHarness.labels(), bars.stream().map(b -> b.getAttribute("data-class")).toList());
        for (WebElement b : bars) {
            assertEquals(Integer.toString(ItHarness.perClass()), b.findElement(By.className("count")).getText());
            assertTrue(b.findElement(By.className("bar")).getSize().getWidth() > 0);
        }
        assertEveryImageHasAltText();
        shot("01-empty");
    }

    @Test
    @Order(2)
    void searchShowsResultCardsWithTheQueryImageFirst() throws Exception {
        home();
        String path = "red/red-03.jpg";
        Path png = work.resolve("query-red-03.png");
        BufferedImage query = ImageIO.read(dataset.resolve(path).toFile());
        assertTrue(ImageIO.write(query, "png", png.toFile()));

        driver.findElement(By.id("file")).sendKeys(png.toString());
        waitFor("results", () -> text("#status").startsWith("Done in"));
        assertTrue(text("#status").matches("Done in [0-9,]+ ms: 12 results\\."), text("#status"));
        List<WebElement> cards = cards("#results");
        assertEquals(12, cards.size());
        WebElement first = cards.get(0);
        assertEquals(path, first.getAttribute("data-path"));
        assertEquals("red", first.getAttribute("data-label"));
        assertTrue(Float.parseFloat(first.getAttribute("data-similarity")) >= 0.999f);
        assertTrue(first.getText().contains("#1"), first.getText());
        assertTrue(first.findElement(By.className("sim")).getText().matches("(99\\.9|100\\.0)% similar"),
                first.findElement(By.className("sim")).getText());
        float previous = Float.MAX_VALUE;
        for (WebElement c : cards) {
            float s = Float.parseFloat(c.getAttribute("data-similarity"));
            assertTrue(s <= previous, "not sorted by similarity");
            previous = s;
        }
        // The preview shows the query; the thumbnails are loaded.
        WebElement preview = driver.findElement(By.id("preview"));
        waitFor("the preview", preview::isDisplayed);
        assertEquals("Query image: query-red-03.png", preview.getAttribute("alt"));
        waitFor("thumbnails", () -> (Boolean) js("return Array.from(document.querySelectorAll('#results img'))"
                + ".slice(0, 4).every(i => i.complete && i.naturalWidth > 0)"));
        assertEveryImageHasAltText();
        shot("02-results");

        // Narrow phone width: one column of controls, two of cards, nothing wider than the screen.
        emulateWidth(375);
        assertTrue((Long) js("return document.documentElement.scrollWidth") <= 375,
                "the page scrolls sideways at 375 px");
        shot("06-narrow-375");
        emulateWidth(0);

        // topK selector: a new search with 5 results.
        new Select(driver.findElement(By.id("topk"))).selectByVisibleText("5");
        waitFor("5 results", () -> cards("#results").size() == 5 && text("#status").startsWith("Done in"));
        assertEquals(path, cards("#results").get(0).getAttribute("data-path"));

        // Clicking a card opens the full image. A browser asks for the icon of an image opened on its own at the
        // server root (/favicon.ico), outside the context root, where no application answers it.
        java.net.URI origin = server.base().resolve("/");
        if (!origin.equals(server.base())) {
            expectedConsole.add(Pattern.compile(Pattern.quote(origin.resolve("favicon.ico").toString()) + " .*404"));
        }
        String before = driver.getWindowHandle();
        cards("#results").get(0).findElement(By.tagName("a")).click();
        waitFor("a second tab", () -> driver.getWindowHandles().size() == 2);
        for (String h : driver.getWindowHandles()) {
            if (!h.equals(before)) {
                driver.switchTo().window(h);
            }
        }
        // The API's URL resolved against the page: the image under the context root, not under the server root.
        waitFor("the full image", () -> driver.getCurrentUrl().equals(server.base().resolve("dataset/" + path)
                .toString()));
        assertEquals(query.getWidth(), ((Number) js("return document.images[0].naturalWidth")).intValue());
        driver.close();
        driver.switchTo().window(before);
    }

    @Test
    @Order(3)
    void uploadingANonImageShowsTheApiErrorText() throws Exception {
        home();
        Path notes = work.resolve("notes.txt");
        Files.writeString(notes, "these are notes, not a picture\n");
        // What the API itself answers to the same upload (a browser labels .txt as text/plain).
        HttpResponse<String> api = multipart("api/search", "notes.txt", "text/plain", Files.readAllBytes(notes));
        assertEquals(415, api.statusCode());
        String message = field(api.body(), "message");
        assertFalse(message.isBlank());
        // Chromium logs every non-2xx answer to the console; this one is the point of the test.
        expectedConsole.add(Pattern.compile("api/search.*415"));

        driver.findElement(By.id("file")).sendKeys(notes.toString());
        waitFor("the error", () -> text("#status").startsWith("Error:"));
        assertEquals("Error: " + message, text("#status"));
        assertTrue(driver.findElement(By.id("status")).getAttribute("class").contains("error"));
        assertTrue(cards("#results").isEmpty());
        assertFalse(driver.findElement(By.id("preview")).isDisplayed(), "no broken preview for a text file");
        shot("04-error");
    }

    @Test
    @Order(4)
    void classChipsFilterTheGalleryAndLoadMoreAppends() throws Exception {
        open("gallery.html");
        waitFor("the first page", () -> cards("#gallery").size() == 24);
        assertEquals("Showing 24 of " + images, text("#gallery-count"));
        List<String> firstPage = paths("#gallery");
        click(driver.findElement(By.id("more")));
        waitFor("the second page", () -> cards("#gallery").size() == 48);
        assertEquals(firstPage, paths("#gallery").subList(0, 24), "load more must append, not replace");
        click(driver.findElement(By.id("more")));
        waitFor("the last page", () -> cards("#gallery").size() == images);
        assertFalse(driver.findElement(By.id("more")).isDisplayed(), "nothing more to load");
        assertEquals(images, paths("#gallery").stream().distinct().count(), "every image once");

        WebElement green = driver.findElement(By.cssSelector("#chips .chip[data-label='green']"));
        assertEquals("green (" + ItHarness.perClass() + ")", green.getText());
        click(green);
        waitFor("the green images", () -> cards("#gallery").size() == ItHarness.perClass());
        for (WebElement c : cards("#gallery")) {
            assertEquals("green", c.getAttribute("data-label"));
        }
        assertEquals("true", driver.findElement(By.cssSelector("#chips .chip[data-label='green']"))
                .getAttribute("aria-pressed"));
        assertEquals("Showing 10 of 10", text("#gallery-count"));
        waitFor("gallery thumbnails", () -> (Boolean) js("return Array.from(document.querySelectorAll('#gallery img'))"
                + ".every(i => i.complete && i.naturalWidth > 0)"));
        assertEveryImageHasAltText();
        scrollTo("gallery-title");
        shot("03-gallery");

        click(driver.findElement(By.cssSelector("#chips .chip[data-label='']")));
        waitFor("all images again", () -> cards("#gallery").size() == 24);
    }

    @Test
    @Order(5)
    void theDropZoneWorksFromTheKeyboard() {
        home();
        // Tab from the top of the page reaches the drop zone, which shows a visible focus ring.
        WebElement drop = driver.findElement(By.id("drop"));
        for (int i = 0; i < 12 && !drop.equals(driver.switchTo().activeElement()); i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
        }
        assertEquals(drop, driver.switchTo().activeElement(), "the drop zone is not reachable with Tab");
        assertNotEquals("none", js("return getComputedStyle(arguments[0]).outlineStyle", drop));
        assertEquals("button", drop.getAttribute("role"));
        // Enter and Space open the file picker (counted here instead of opening the system dialog).
        js("window.__picks = 0; document.getElementById('file').addEventListener('click', function (e) {"
                + " window.__picks++; e.preventDefault(); });");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        new Actions(driver).sendKeys(Keys.SPACE).perform();
        assertEquals(2L, js("return window.__picks"));
    }

    @Test
    @Order(6)
    void theLanguageFollowsTheBrowserAndTheSwitchIsRemembered() throws Exception {
        home();
        assertEquals("Image retrieval", text("h1"));
        assertEquals("en", js("return document.documentElement.lang"));
        click(driver.findElement(By.id("lang-switch")));
        assertEquals("以图搜图", text("h1"));
        assertEquals("zh-CN", js("return document.documentElement.lang"));
        assertEquals("English", text("#lang-switch"));
        assertEquals("图库", text("#stats-title"));
        waitFor("the Chinese statistics", () -> text("#stats dt").equals("图片数"));
        shot("07-zh");
        // Remembered: a reload stays Chinese although the browser asks for English.
        home();
        assertEquals("以图搜图", text("h1"));
        click(driver.findElement(By.id("lang-switch")));
        assertEquals("Image retrieval", text("h1"));

        // With nothing remembered the browser's languages (what it sends as Accept-Language) decide.
        js("localStorage.clear()");
        Object ua = js("return navigator.userAgent");
        driver.executeCdpCommand("Network.setUserAgentOverride", Map.of("userAgent", ua,
                "acceptLanguage", "zh-CN,zh;q=0.9"));
        try {
            home();
            assertEquals("以图搜图", text("h1"));
            js("localStorage.clear()");
        } finally {
            driver.executeCdpCommand("Network.setUserAgentOverride", Map.of("userAgent", ua,
                    "acceptLanguage", "en-US,en"));
        }
        home();
        assertEquals("Image retrieval", text("h1"));
    }

    @Test
    @Order(7)
    void typingAQueryShowsTheSameCards() throws Exception {
        home();
        WebElement row = driver.findElement(By.id("text-row"));
        waitFor("the text field (stats say textSearch)", row::isDisplayed);
        WebElement field = driver.findElement(By.id("text-query"));
        assertEquals("e.g. red flowers", field.getAttribute("placeholder"));
        field.sendKeys("red flowers" + Keys.ENTER);
        waitFor("text results", () -> text("#status").startsWith("Done in"));
        assertTrue(text("#status").matches("Done in [0-9,]+ ms: 12 results\\."), text("#status"));
        List<WebElement> cards = cards("#results");
        assertEquals(12, cards.size());
        // the generated text encoder puts "red" where the colour model puts red images
        for (int i = 0; i < 5; i++) {
            assertEquals("red", cards.get(i).getAttribute("data-label"), "card " + i);
        }
        float previous = Float.MAX_VALUE;
        for (WebElement c : cards) {
            float sim = Float.parseFloat(c.getAttribute("data-similarity"));
            assertTrue(sim <= previous, "not sorted by similarity");
            previous = sim;
        }
        assertEveryImageHasAltText();
        shot("07b-text-search");

        // topK and the class filter apply to the text query too
        new Select(driver.findElement(By.id("topk"))).selectByVisibleText("5");
        waitFor("5 text results", () -> cards("#results").size() == 5 && text("#status").startsWith("Done in"));
        assertEquals("red", cards("#results").get(0).getAttribute("data-label"));

        // in Chinese: the strings switch, and a Chinese colour word finds its colour
        click(driver.findElement(By.id("lang-switch")));
        try {
            assertEquals("例如：红色的花", field.getAttribute("placeholder"));
            assertEquals("按文字搜索", text("#text-go"));
            field.clear();
            field.sendKeys(ItHarness.chineseColour("blue"));
            click(driver.findElement(By.id("text-go")));
            waitFor("Chinese text results", () -> cards("#results").size() == 5
                    && "blue".equals(cards("#results").get(0).getAttribute("data-label")));
            shot("07c-text-search-zh");
            // an empty query is refused on the page, without asking the server
            field.clear();
            click(driver.findElement(By.id("text-go")));
            assertEquals("请先输入几个词。", text("#status"));
        } finally {
            click(driver.findElement(By.id("lang-switch")));
        }
    }

    @Test
    @Order(8)
    void searchSimilarOpensMoreLikeThis() throws Exception {
        open("gallery.html?label=green"); // the class is part of the gallery's address
        waitFor("the green images", () -> cards("#gallery").size() == ItHarness.perClass());
        assertEquals("true", driver.findElement(By.cssSelector("#chips .chip[data-label='green']"))
                .getAttribute("aria-pressed"));
        WebElement card = cards("#gallery").get(0);
        String path = card.getAttribute("data-path");
        click(card.findElement(By.className("similar")));
        waitFor("the similar page", () -> driver.getCurrentUrl().contains("similar.html?id="));
        waitFor("the similar images", () -> text("#status").matches("[0-9]+ results in [0-9,]+ ms\\."));
        assertEquals("12 results", text("#status").split(" in ")[0]);
        List<WebElement> hits = cards("#results");
        assertEquals(12, hits.size());
        assertEquals("green", hits.get(0).getAttribute("data-label"));
        assertFalse(paths("#results").contains(path), "the query image itself is left out");
        WebElement query = driver.findElement(By.cssSelector("#query img"));
        assertEquals("Query image: green (" + path + ")", query.getAttribute("alt"));
        waitFor("the query image", () -> (Boolean) js("return arguments[0].complete && arguments[0].naturalWidth > 0",
                query));
        assertEquals(server.base().resolve("dataset/" + path).toString(), query.getAttribute("src"));
        assertEveryImageHasAltText();
        shot("10-similar");

        // The options reload the page with them in the address.
        WebElement topK = driver.findElement(By.name("topK"));
        topK.clear();
        topK.sendKeys("5");
        click(driver.findElement(By.cssSelector("#options button[type='submit']")));
        waitFor("5 results", () -> driver.getCurrentUrl().contains("topK=5") && cards("#results").size() == 5);

        open("similar.html");
        waitFor("the hint", () -> text("#status").startsWith("No image chosen"));
        assertTrue(driver.findElement(By.id("status")).getAttribute("class").contains("error"));
    }

    @Test
    @Order(9)
    void evaluationShowsPerClassBarsAndTheConfusionTable() throws Exception {
        open("evaluation.html");
        waitFor("the figures", () -> text("#overall").startsWith("Overall: P@1 "));
        assertTrue(text("#status").matches(images + " labelled images, " + images
                + " queries; computed .* in [0-9,]+ ms\\."), text("#status"));
        assertEquals(ItHarness.labels(), driver.findElements(By.cssSelector("#chart .eval-class")).stream()
                .map(c -> c.getAttribute("data-class")).toList());
        for (WebElement c : driver.findElements(By.cssSelector("#chart .eval-class"))) {
            assertEquals(4, c.findElements(By.className("row")).size(), "P@1, P@5, P@10, mAP");
        }
        // The confusion table: one row per class, each row's counts add up to the class's queries.
        List<WebElement> rows = driver.findElements(By.cssSelector("#confusion tbody tr"));
        assertEquals(ItHarness.labels().size(), rows.size());
        for (WebElement r : rows) {
            int sum = r.findElements(By.tagName("td")).stream().mapToInt(td -> Integer.parseInt(td.getText())).sum();
            assertEquals(ItHarness.perClass(), sum, r.getText());
        }
        // Bars are sized through the CSSOM (allowed by the CSP; a style attribute in the markup would not be).
        Object widths = js("return Array.from(document.querySelectorAll('#chart .bar')).map(b => b.style.width)");
        assertTrue(widths.toString().contains("%"), widths.toString());
        shot("11-evaluation");
    }

    /**
     * Issue 12: one product. Every page, in English and in Chinese, under the suite's context root: the same
     * navigation (same links, same order), a translated title and heading, no string left in the other language,
     * images served under the context root, nothing wider than a 375 px phone, and markup without inline script,
     * style attribute or on* handler (what the Content-Security-Policy requires).
     */
    @Test
    @Order(10)
    void everyPageIsOneProductInBothLanguages() throws Exception {
        assertNotEquals("/", server.base().getPath(), "the pages must be tested under a context root other than /");
        String id = Long.toString(jakarta.json.Json.createReader(new java.io.StringReader(get("api/gallery?limit=1")
                .body())).readObject().getJsonArray("images").getJsonObject(0).getJsonNumber("id").longValue());
        // page -> {English h1, Chinese h1, a script condition that says its data has arrived}
        Map<String, String[]> pages = new LinkedHashMap<>();
        pages.put("", new String[] {"Image retrieval", "以图搜图", "document.getElementById('stat-images').textContent !== ''"});
        pages.put("gallery.html", new String[] {"Gallery", "图库浏览", "document.querySelectorAll('#gallery li').length > 0"});
        pages.put("similar.html?id=" + id, new String[] {"More like this", "相似图片",
            "document.querySelectorAll('#results li').length > 0"});
        pages.put("evaluation.html", new String[] {"Retrieval quality", "检索评估",
            "document.getElementById('overall').textContent !== ''"});
        pages.put("admin.jsp", new String[] {"Administration", "管理", "true"});
        List<String> navHrefs = List.of("./", "gallery.html", "evaluation.html", "admin.jsp");
        Map<String, List<String>> navTexts = Map.of("en", List.of("Search", "Gallery", "Evaluation", "Admin"),
                "zh", List.of("搜索", "图库浏览", "检索评估", "管理"));
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern inlineStyle = Pattern.compile("<style|\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
        Pattern handler = Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
        Pattern rootUrl = Pattern.compile("(href|src|action)=\"/", Pattern.CASE_INSENSITIVE);

        int n = 12;
        for (String lang : List.of("en", "zh")) {
            for (Map.Entry<String, String[]> page : pages.entrySet()) {
                String rel = page.getKey();
                String name = rel.isEmpty() ? "home" : rel.replaceAll("[.?].*", "");
                if (lang.equals("en")) { // the markup as served (the same for both languages)
                    String html = get(rel).body();
                    assertFalse(inlineScript.matcher(html).find(), name + ": inline script");
                    assertFalse(inlineStyle.matcher(html).find(), name + ": inline style");
                    assertFalse(handler.matcher(html).find(), name + ": on* attribute");
                    assertFalse(rootUrl.matcher(html).find(), name + ": a URL from the server root");
                    // the shared layout is included by the JSP engine, never sent as a directive
                    assertFalse(html.contains("<%"), name + ": a JSP directive left in the page");
                    assertEquals(1, html.split("<header class=\"top\"", -1).length - 1, name + ": one header");
                    assertTrue(get(rel).headers().firstValue("Content-Type").orElse("")
                            .toLowerCase(java.util.Locale.ROOT).contains("utf-8"), name + ": UTF-8 declared");
                }
                open(rel);
                js("localStorage.setItem('imageRetrieval.lang', arguments[0])", lang);
                open(rel);
                waitFor(name + " data", () -> (Boolean) js("return " + page.getValue()[2]));
                assertEquals(lang.equals("zh") ? "zh-CN" : "en", js("return document.documentElement.lang"), name);
                assertEquals(page.getValue()[lang.equals("zh") ? 1 : 0], text("main h1"), name + " " + lang);
                List<WebElement> nav = driver.findElements(By.cssSelector("header.top nav a"));
                assertEquals(navHrefs, nav.stream().map(a -> a.getAttribute("href").equals(server.base().toString())
                        ? "./" : server.base().relativize(java.net.URI.create(a.getAttribute("href"))).toString())
                        .toList(), name + ": the navigation");
                assertEquals(navTexts.get(lang), nav.stream().map(WebElement::getText).toList(), name + " " + lang);
                assertTrue(driver.findElements(By.cssSelector("header.top nav a[aria-current='page']")).size()
                        <= 1, name);
                // the page that is in the navigation is marked as the current one (similar.html is not in it)
                Object self = js("return document.body.getAttribute('data-page')");
                Object marked = js("var a = document.querySelector(\"header.top nav a[aria-current='page']\");"
                        + " return a ? a.getAttribute('data-page') : null");
                assertEquals("similar".equals(self) ? null : self, marked, name + ": the current page is marked");
                assertEquals(lang.equals("en") ? "中文" : "English", text("#lang-switch"));
                // No string left in the other language: every translated element differs from its English text.
                if (lang.equals("zh")) {
                    Object untranslated = js("var en = window.IR_STRINGS.en; return Array.from(document"
                            + ".querySelectorAll('[data-i18n]')).filter(e => e.textContent === en[e.getAttribute("
                            + "'data-i18n')] && /[A-Za-z]{3}/.test(e.textContent)).map(e => e.getAttribute('data-i18n'))");
                    assertEquals(List.of(), untranslated, name + ": English left on the Chinese page");
                    assertTrue(((String) js("return document.title")).matches(".*\\p{IsHan}.*"), name + " title");
                }
                // Every image comes from under the context root (or is the local preview).
                Object outside = js("return Array.from(document.images).map(i => i.src).filter(s => s && "
                        + "!s.startsWith(arguments[0]) && !s.startsWith('blob:'))", server.base().toString());
                assertEquals(List.of(), outside, name + ": images outside the context root");
                assertEveryImageHasAltText();
                shot(String.format("%02d-%s-%s", n++, name, lang));
                emulateWidth(375);
                assertTrue((Long) js("return document.documentElement.scrollWidth") <= 375,
                        name + " (" + lang + ") scrolls sideways at 375 px");
                if (lang.equals("zh") || name.equals("gallery")) {
                    shot(String.format("%02d-%s-%s-375", n++, name, lang));
                }
                emulateWidth(0);
            }
        }
        js("localStorage.clear()");
    }

    /**
     * The policy is really enforced, and the console check of every test would see a violation: an inline script
     * and a style attribute added to a page now are refused by the browser, which says so in the console.
     */
    @Test
    @Order(11)
    void theBrowserEnforcesTheContentSecurityPolicy() {
        home();
        js("var s = document.createElement('script'); s.textContent = 'window.__inline = 1;';"
                + " document.body.appendChild(s);"
                + " var d = document.createElement('div'); d.id = 'styled'; d.setAttribute('style', 'width: 123px');"
                + " document.body.appendChild(d);");
        assertEquals(null, js("return window.__inline === undefined ? null : window.__inline"), "inline script ran");
        assertNotEquals("123px", js("return getComputedStyle(document.getElementById('styled')).width"),
                "inline style applied");
        List<String> csp = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertTrue(csp.stream().anyMatch(m -> m.contains("script")), "no console report of the refused script: " + csp);
        assertTrue(csp.stream().anyMatch(m -> m.contains("style")), "no console report of the refused style: " + csp);
    }

    @Test
    @Order(20)
    void theProgressBarShowsDuringARebuildAndTheAdminPageAnswers() throws Exception {
        // Enough new images that the build outlasts the page's EventSource reconnect (5 s) and the visit to the
        // admin page with room to spare: about a minute at the first build's own speed, and never under 600 images
        // (the first build may have been slowed by start-up and a busy machine, this one not).
        double rate = lastBuildRate();
        bulk = (int) Math.max(600, Math.min(2400, rate * 60));
        addBulkImages(bulk);
        home();
        WebElement progress = driver.findElement(By.id("progress"));
        assertFalse(progress.isDisplayed(), "no build runs yet");

        HttpResponse<String> started = post("api/admin/reindex", "Bearer " + TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        waitFor("the progress bar", progress::isDisplayed, Duration.ofSeconds(20));
        assertTrue(text("#progress-text").matches("Indexing: [0-9,]+ / [0-9,]+ images .*"), text("#progress-text"));
        shot("05-progress");

        // The admin page during the build: the same bar, and a second rebuild is refused (409) with the API's text.
        open("admin.jsp");
        waitFor("the admin progress bar", () -> driver.findElement(By.id("progress")).isDisplayed(),
                Duration.ofSeconds(10));
        expectedConsole.add(Pattern.compile("api/admin/reindex.*(409|401)"));
        driver.findElement(By.id("token")).sendKeys(TOKEN);
        click(driver.findElement(By.id("reindex-button")));
        waitFor("the 409 message", () -> text("#admin-status").startsWith("A build is already running (409):"));
        assertTrue(text("#admin-status").contains("already running"));
        shot("08-admin-building");

        // Back home: the bar goes away when the build is done, and the counts follow.
        home();
        int total = images + bulk;
        waitFor("the end of the build", () -> !driver.findElement(By.id("progress")).isDisplayed()
                && text("#stat-images").equals(String.format(java.util.Locale.ROOT, "%,d", total)), Duration.ofMinutes(5));
        assertEquals(ItHarness.labels().size() + 1, driver.findElements(By.cssSelector("#class-chart li")).size());

        // The admin page renders the finished build from the engine.
        open("admin.jsp");
        assertEquals(Integer.toString(total), text("#images"));
        assertEquals(Integer.toString(bulk), text("#last-build [data-field='embedded']"));
        assertEquals(Integer.toString(images), text("#last-build [data-field='reused']"));
        assertEquals("0", text("#last-build [data-field='failed']"));
        assertFalse(driver.findElement(By.id("progress")).isDisplayed());
        click(driver.findElement(By.id("reindex-button")));
        assertEquals("Enter the admin token first.", text("#admin-status"));
        driver.findElement(By.id("token")).sendKeys("wrong-token");
        click(driver.findElement(By.id("reindex-button")));
        waitFor("the 401 message", () -> text("#admin-status").startsWith("The token was refused (401):"));
        assertTrue(text("#admin-status").contains("Authorization: Bearer"), text("#admin-status"));
        shot("09-admin");
    }

    /**
     * Files a build refuses (too large for MAX_FILE_MB, not decodable) are counted on the public page, and named with
     * their reasons only for the administrator: the list is fetched with the token, sorted by name, at most 50 shown
     * and the rest counted, in both languages.
     */
    @Test
    @Order(21)
    void theAdminPageListsTheFailedFilesOfTheLastBuild() throws Exception {
        Path broken = Files.createDirectories(dataset.resolve("broken"));
        // "aa-" sorts first, so the too-large file is among the 50 shown whatever order the build failed them in.
        try (var f = java.nio.channels.FileChannel.open(broken.resolve("aa-huge.png"),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 2L * 1024 * 1024); // 2 MB, sparse
        }
        int corrupt = 51;
        for (int i = 0; i < corrupt; i++) {
            Files.write(broken.resolve(String.format("corrupt-%02d.jpg", i)),
                    new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 'n', 'o', 't', ' ', 'a', ' ', 'J', 'P', 'E', 'G'});
        }
        int failed = corrupt + 1;
        HttpResponse<String> started = post("api/admin/reindex", "Bearer " + TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = HTTP.send(HttpRequest.newBuilder(server.base().resolve("api/admin/reindex"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (status.contains("\"building\":false") && status.contains("\"failed\":" + failed)) {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(status.contains("\"failed\":" + failed), status);

        // Without the token: the count only; no file name, no reason, no absolute path in what the server sent.
        open("admin.jsp");
        assertEquals(Integer.toString(failed), text("#last-build [data-field='failed']"));
        String publicPage = driver.getPageSource();
        for (String secret : List.of("aa-huge.png", "corrupt-00.jpg", "MAX_FILE_MB=1", dataset.toString(),
                work.toString())) {
            assertFalse(publicPage.contains(secret), "the public admin page shows " + secret);
        }
        assertFalse(driver.findElement(By.id("failures")).isDisplayed());

        // A wrong token is refused with the API's words; the list stays hidden.
        expectedConsole.add(Pattern.compile("api/admin/reindex.*401"));
        driver.findElement(By.id("token")).sendKeys("wrong-token");
        click(driver.findElement(By.id("failures-button")));
        waitFor("the 401 message", () -> text("#failures-status").startsWith("The token was refused (401):"));
        assertFalse(driver.findElement(By.id("failures")).isDisplayed());

        driver.findElement(By.id("token")).clear();
        driver.findElement(By.id("token")).sendKeys(TOKEN);
        click(driver.findElement(By.id("failures-button")));
        waitFor("the failed files", () -> driver.findElements(By.cssSelector("#failures > li")).size() == 51);
        assertEquals("The last build could not index " + failed + " files:", text("#failures-status"));
        List<WebElement> items = driver.findElements(By.cssSelector("#failures > li"));
        String first = items.get(0).getText();
        assertTrue(first.startsWith("broken/aa-huge.png") && first.contains("larger than MAX_FILE_MB=1"), first);
        assertTrue(items.get(1).getText().startsWith("broken/corrupt-00.jpg — "), items.get(1).getText());
        assertEquals(50, driver.findElements(By.cssSelector("#failures > li > code")).size());
        assertEquals("… and 2 more (the server log names every one).", items.get(50).getText());
        for (WebElement item : items) {
            assertFalse(item.getText().contains(dataset.toString()), "an absolute path: " + item.getText());
        }
        shot("28-admin-failures");

        click(driver.findElement(By.id("lang-switch")));
        waitFor("the Chinese page", () -> text("#failures-status").equals("上一次构建有 " + failed + " 个文件无法建立索引："));
        assertEquals("显示失败的文件", text("#failures-button"));
        items = driver.findElements(By.cssSelector("#failures > li"));
        assertEquals(51, items.size());
        assertTrue(items.get(0).getText().startsWith("broken/aa-huge.png"), items.get(0).getText());
        assertEquals("……另有 2 个（服务器日志列出了全部）。", items.get(50).getText());
        shot("29-admin-failures-zh");
        click(driver.findElement(By.id("lang-switch")));
        waitFor("the English page", () -> text("#failures-button").equals("Show the failed files"));
    }

    // ---- helpers ----

    private static void home() {
        open("");
    }

    /** Opens a page by its path relative to the application's base URL (which includes the context root). */
    private static void open(String relative) {
        driver.get(server.base().resolve(relative).toString());
        waitFor("the page script", () -> (Boolean) js("return !!window.IR"));
    }

    private static String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private static List<WebElement> cards(String listCss) {
        return driver.findElements(By.cssSelector(listCss + " > li"));
    }

    private static List<String> paths(String listCss) {
        return cards(listCss).stream().map(c -> c.getAttribute("data-path")).toList();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void click(WebElement e) {
        js("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    private static void scrollTo(String id) {
        js("document.getElementById(arguments[0]).scrollIntoView({block: 'start'})", id);
    }

    private static void assertEveryImageHasAltText() {
        for (WebElement img : driver.findElements(By.tagName("img"))) {
            if (img.isDisplayed()) {
                String alt = img.getAttribute("alt");
                assertTrue(alt != null && !alt.isBlank(), "image without alt text: " + img.getAttribute("src"));
            }
        }
    }

    private static void waitFor(String what, java.util.function.Supplier<Boolean> condition) {
        waitFor(what, condition, Duration.ofSeconds(30));
    }

    private static void waitFor(String what, java.util.function.Supplier<Boolean> condition, Duration timeout) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(100)).withMessage(what)
                .until(d -> Boolean.TRUE.equals(condition.get()));
    }

    /** 0: the window's own width (desktop); otherwise a phone-sized viewport of that CSS width. */
    private static void emulateWidth(int width) {
        if (width == 0) {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        } else {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 812,
                    "deviceScaleFactor", 1, "mobile", true));
        }
    }

    /** The whole page, not only the viewport. */
    @SuppressWarnings("unchecked")
    private static void shot(String name) throws IOException {
        byte[] png;
        try {
            Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
            Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
            double w = ((Number) size.get("width")).doubleValue();
            double h = Math.min(6000, ((Number) size.get("height")).doubleValue());
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", w, "height", h, "scale", 1)));
            png = Base64.getDecoder().decode((String) shot.get("data"));
        } catch (RuntimeException cdpUnavailable) {
            png = driver.getScreenshotAs(OutputType.BYTES);
        }
        Files.write(shots.resolve(name + ".png"), png);
    }

    // ---- server side ----

    private static void awaitIndexed(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = get("api/health").body();
            if (last.contains("\"indexReady\":true") && last.contains("\"status\":\"ok\"")
                    && last.contains("\"images\":" + count)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the index was not ready within " + timeout + ": " + last + "\n"
                + server.logTail(40));
    }

    private static double lastBuildRate() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.base().resolve("api/admin/reindex"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"imagesPerSecond\":([0-9.Ee+-]+)").matcher(r.body());
        assertTrue(m.find(), r.body());
        return Double.parseDouble(m.group(1));
    }

    /**
     * Copies one photo-sized JPEG count times into a new folder, each copy made distinct by a JPEG comment segment
     * right after the start marker (so each has its own hash and is decoded and embedded on its own).
     */
    private static void addBulkImages(int count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(ItHarness.otherPicture(11), "jpg", out));
        byte[] jpeg = out.toByteArray();
        Path staging = Files.createDirectories(work.resolve("bulk-staging").resolve("bulk"));
        for (int i = 0; i < count; i++) {
            byte[] comment = ("copy " + i).getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream b = new ByteArrayOutputStream(jpeg.length + comment.length + 4);
            b.write(jpeg, 0, 2); // SOI
            b.write(0xFF);
            b.write(0xFE); // COM
            b.write((comment.length + 2) >> 8);
            b.write((comment.length + 2) & 0xFF);
            b.write(comment);
            b.write(jpeg, 2, jpeg.length - 2);
            Files.write(staging.resolve(String.format("bulk-%04d.jpg", i)), b.toByteArray());
        }
        // One rename: the build never sees half of the folder.
        Files.move(staging, dataset.resolve("bulk"));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.base().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.base().resolve(path)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> multipart(String path, String fileName, String type, byte[] content)
            throws Exception {
        String boundary = "----pages" + UUID.randomUUID();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.write(content);
        b.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(server.base().resolve(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        try (var r = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            return r.readObject().getString(name);
        }
    }
}
