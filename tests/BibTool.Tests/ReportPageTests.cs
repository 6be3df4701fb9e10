using BibTool.BibFiles;
using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Store;
using BibTool.Survey;
using BibTool.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Abstractions;

namespace BibTool.Tests;

/// <summary>
/// The report of the example survey, opened from file:// in headless Chromium (Debian's chromium
/// and chromium-driver) as a reader opens it: what it shows is checked against the survey and the
/// store, and a screenshot is kept beside the test binaries (report-screenshot.png).
/// </summary>
public class ReportPageTests(ExportStores stores, ITestOutputHelper output) : IClassFixture<ExportStores>
{
    private static ChromeDriver Browser()
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600", "--no-first-run");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Picks an option as a reader does: the select's value changes and it says so.</summary>
    private static void Choose(IWebDriver driver, string select, string value) =>
        ((IJavaScriptExecutor)driver).ExecuteScript("const s = document.getElementById(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change'));", select, value);

    private static List<IWebElement> Shown(IWebDriver driver) => driver.FindElements(By.CssSelector("article.entry")).Where(e => e.Displayed).ToList();

    [Fact]
    public void TheReportShowsEveryRowAndItsSearchFiltersCopyButtonsAndChartsWork()
    {
        using var temp = TestPaths.TempDir();
        var store = temp.File("store");
        stores.CopySeedRecords(store);
        var report = CliRunner.Run("report", TestPaths.SeedSurvey, "-o", temp.File("site"), "--cache", store, "--offline");
        Assert.True(report.ExitCode == 0, report.Stderr);
        var page = temp.File("site/index.html");
        var html = File.ReadAllText(page);
        // Nothing to fetch: no external script, style sheet or image.
        Assert.DoesNotMatch("<(script|link|img|iframe)[^>]+(src|href)=", html);

        // The oracle: the survey's rows and the store's works.
        var rows = SurveyReader.ReadFile(TestPaths.SeedSurvey).Entries.ToList();
        var library = new WorkLibrary(new MetadataStore(store));
        var workOf = rows.ToDictionary(r => r.Line, r => r.Identifier.Type == IdentifierType.None ? null : library.Find(r.Identifier));
        Assert.Equal(151, rows.Count);
        Assert.Equal(125, workOf.Values.OfType<BibTool.Model.Work>().Select(w => w.Id).Distinct().Count());

        using var driver = Browser();
        driver.Navigate().GoToUrl(new Uri(page).AbsoluteUri);
        Assert.StartsWith("151 rows, 125 works", driver.FindElement(By.Id("summary")).Text);
        Assert.Equal(151, Shown(driver).Count);
        Assert.Equal("Showing 151 of 151 rows", driver.FindElement(By.Id("count")).Text);
        var js = (IJavaScriptExecutor)driver;
        Assert.Equal(0L, js.ExecuteScript("return performance.getEntriesByType('resource').length"));

        // Search narrows to the rows that name it.
        driver.FindElement(By.Id("search")).SendKeys("Baichuan");
        var named = rows.Count(r => r.Name.Contains("Baichuan", StringComparison.OrdinalIgnoreCase) || r.PaperTitle.Contains("Baichuan", StringComparison.OrdinalIgnoreCase));
        Assert.InRange(named, 1, 150);
        Assert.Equal(named, Shown(driver).Count);
        Assert.All(Shown(driver), e => Assert.Contains("Baichuan", e.Text));
        Assert.Equal($"Showing {named} of 151 rows", driver.FindElement(By.Id("count")).Text);
        driver.FindElement(By.Id("search")).Clear();
        js.ExecuteScript("document.getElementById('search').dispatchEvent(new Event('input'))");
        Assert.Equal(151, Shown(driver).Count);

        // A category, then a year: exactly the rows of that category, of that year.
        var category = rows.Select(r => r.Category).Distinct().Last();
        Choose(driver, "filter-category", category);
        Assert.Equal(rows.Count(r => r.Category == category), Shown(driver).Count);
        Choose(driver, "filter-category", "");
        Choose(driver, "filter-year", "2023");
        Assert.Equal(rows.Count(r => workOf[r.Line]?.Issued?.Year == 2023), Shown(driver).Count);
        Choose(driver, "filter-year", "");

        // Copy as BibTeX: the entry export writes for that key.
        var button = driver.FindElements(By.CssSelector("button.copy"))[3];
        var key = button.GetAttribute("data-key");
        button.Click();
        // The clipboard answers asynchronously: the button says so once it has.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (button.Text != "Copied" && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(50);
        Assert.Equal("Copied", button.Text);
        var bibtex = CliRunner.Run("export", TestPaths.SeedSurvey, "--format", "bibtex", "--cache", store, "--offline").Stdout;
        var record = BibParser.Parse(bibtex).Records.Single(r => r.Key == key);
        Assert.Equal(bibtex[record.Start..record.End], (string?)js.ExecuteScript("return window.bibtoolLastCopied"));

        // Charts: works per year and category, and the top venues, as the store counts them.
        var expectedYears = rows.Where(r => workOf[r.Line] is { Issued: not null })
            .GroupBy(r => (Year: workOf[r.Line]!.Issued!.Year, r.Category))
            .ToDictionary(g => $"{g.Key.Year}|{g.Key.Category}", g => g.Select(r => workOf[r.Line]!.Id).Distinct().Count());
        var drawnYears = driver.FindElements(By.CssSelector("#chart-years rect"))
            .ToDictionary(r => $"{r.GetAttribute("data-year")}|{r.GetAttribute("data-category")}", r => int.Parse(r.GetAttribute("data-count")!));
        Assert.Equal(expectedYears.OrderBy(p => p.Key), drawnYears.OrderBy(p => p.Key));
        var expectedVenues = workOf.Values.OfType<BibTool.Model.Work>().DistinctBy(w => w.Id).GroupBy(BibTool.Report.ReportPage.Venue)
            .Where(g => g.Key.Length > 0).Select(g => (g.Key, g.Count())).OrderByDescending(v => v.Item2).ThenBy(v => v.Key, StringComparer.Ordinal).Take(10).ToList();
        var drawnVenues = driver.FindElements(By.CssSelector("#chart-venues rect")).Select(r => (r.GetAttribute("data-venue")!, int.Parse(r.GetAttribute("data-count")!))).ToList();
        Assert.Equal(expectedVenues.Select(v => v.Item2), drawnVenues.Select(v => v.Item2));
        Assert.Equal(expectedVenues.ToHashSet(), drawnVenues.ToHashSet());

        // No script error, and a screenshot for a look by hand.
        var errors = driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var screenshot = Path.Combine(AppContext.BaseDirectory, "report-screenshot.png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(screenshot);
        output.WriteLine($"screenshot: {screenshot}");
    }

    [Fact]
    public void HostileRowsStayTextInThePage()
    {
        // A SYNTHETIC survey whose cells try to end the data's script element and to plant a javascript: link.
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("s.md"), "# T </title><script>alert(1)</script>\n\n| Name | Paper | Code |\n|---|---|---|\n" +
            "| a &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; | [x<!--](https://doi.org/10.5555/x) | [c](javascript:alert(3)) |\n");
        var result = CliRunner.Run("report", temp.File("s.md"), "-o", temp.File("site"), "--cache", temp.File("store"), "--offline");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var html = File.ReadAllText(temp.File("site/index.html"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "<script").Count);
        Assert.DoesNotContain("alert(1)</script>", html);
        Assert.DoesNotContain("<!--", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.Contains("T &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;", html);
        // The data is still all there, as JSON.
        var data = System.Text.RegularExpressions.Regex.Match(html, "<script type=\"application/json\" id=\"bibtool-data\">(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var row = System.Text.Json.JsonDocument.Parse(data).RootElement.GetProperty("rows")[0];
        Assert.Equal("a </script><script>alert(2)</script>", row.GetProperty("name").GetString());
        Assert.False(row.TryGetProperty("code", out _));
    }
}
